import DealerCore
import Foundation
import SQLKit

/// The console's people and their sessions: accounts, one-time links, sign-in bookkeeping. A feature
/// store over the shared database; what people do once signed in goes through the same stores and
/// rules as the API, as the person (`ConsoleUser.caller`).
public struct ConsoleStore: Sendable {
    let database: any StoreDatabase
    public let clock: any NowProvider

    public init(_ store: Store) {
        database = store.database
        clock = store.clock
    }

    static let userColumns = """
        u.id, u.email, u.name, u.role, u.manager_id, u.dealer_id, u.password_hash, u.active, u.created_at
        """

    static func decodeUser(_ row: any SQLRow) throws -> ConsoleUser {
        ConsoleUser(
            id: try row.decode(column: "id", as: UUID.self),
            email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: try row.enumeration("role", as: Role.self),
            managerID: try row.decode(column: "manager_id", as: UUID?.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
            active: try row.decode(column: "active", as: Bool.self),
            hasPassword: try row.decode(column: "password_hash", as: String?.self) != nil,
            createdAt: try row.instant("created_at"))
    }

    /// 32 random bytes in base64url: a session token, a CSRF token or a link code.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }
}
