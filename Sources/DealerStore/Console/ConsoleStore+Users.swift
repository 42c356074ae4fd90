import DealerCore
import Foundation
import SQLKit

extension ConsoleStore {
    /// Creates an account without a password: the person sets one from a link (`makeLink`). Audited.
    public func createUser(_ draft: ConsoleUserDraft, by actor: Caller) async throws -> ConsoleUser {
        let draft = try draft.checked()
        let now = clock.now()
        do {
            return try await database.transaction { sql in
                if try await sql.raw("SELECT id FROM console_users WHERE email = \(bind: draft.email)").first() != nil {
                    throw DomainError.conflict(field: "email", message: "an account for \(draft.email) already exists")
                }
                var dealerID: UUID?
                if let dealer = draft.dealer {
                    guard let id = try await Store.resolveDealers([dealer], on: sql)[dealer] else {
                        throw ValidationError(field: "dealer", "no dealer \(dealer)")
                    }
                    dealerID = id
                }
                var managerID: UUID?
                if let manager = draft.manager {
                    let condition: SQLQueryString =
                        UUID(uuidString: manager).map { "id = \(bind: $0)" } ?? "lower(email) = \(bind: manager.lowercased())"
                    guard let row = try await sql.raw("SELECT id FROM managers WHERE \(condition)").first() else {
                        throw ValidationError(field: "manager", "no manager \(manager) (name one by e-mail or id)")
                    }
                    managerID = try row.decode(column: "id", as: UUID.self)
                }
                let user = ConsoleUser(
                    id: UUID(), email: draft.email, name: draft.name, role: draft.role, managerID: managerID, dealerID: dealerID, active: true,
                    hasPassword: false, createdAt: now)
                try await sql.raw(
                    """
                    INSERT INTO console_users (id, email, name, role, manager_id, dealer_id, failed_sign_ins, active, created_at, updated_at)
                    VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.name), \(bind: user.role.rawValue), \(bind: managerID),
                            \(bind: dealerID), 0, \(bind: true), \(bind: now), \(bind: now))
                    """
                ).run()
                var after: [String: JSONValue] = ["email": .string(user.email), "name": .string(user.name), "role": .string(user.role.rawValue)]
                if let dealerID { after["dealer_id"] = .string(dealerID.lowercased) }
                if let managerID { after["manager_id"] = .string(managerID.lowercased) }
                try await AuditTrail.append(
                    AuditRecord(
                        actor: actor.name, action: "user.create", entityType: "console_user", entityID: user.id.lowercased, before: nil,
                        after: .object(after)),
                    at: now, on: sql)
                return user
            }
        } catch let error where UniqueViolation.matches(error) {
            throw DomainError.conflict(field: "email", message: "an account for \(draft.email) already exists")
        }
    }

    public func users() async throws -> [ConsoleUser] {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM console_users u ORDER BY u.email").all().map(Self.decodeUser)
        }
    }

    /// An account by e-mail (case-insensitive) or id.
    public func user(_ emailOrID: String) async throws -> ConsoleUser {
        let condition: SQLQueryString =
            UUID(uuidString: emailOrID).map { "u.id = \(bind: $0)" } ?? "u.email = \(bind: emailOrID.lowercased())"
        guard
            let user = try await database.read({ sql in
                try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM console_users u WHERE \(condition)").first().map(Self.decodeUser)
            })
        else { throw DomainError.notFound(entity: "user", id: emailOrID) }
        return user
    }

    /// Turns an account off or on. Turning it off ends its sessions at once. Audited.
    public func setActive(_ userID: UUID, _ active: Bool, by actor: Caller) async throws {
        let now = clock.now()
        try await database.transaction { sql in
            try await sql.raw("UPDATE console_users SET active = \(bind: active), updated_at = \(bind: now) WHERE id = \(bind: userID)").run()
            if !active {
                try await sql.raw("UPDATE console_sessions SET revoked_at = \(bind: now) WHERE user_id = \(bind: userID) AND revoked_at IS NULL")
                    .run()
            }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: active ? "user.enable" : "user.disable", entityType: "console_user", entityID: userID.lowercased,
                    before: .object(["active": .bool(!active)]), after: .object(["active": .bool(active)])),
                at: now, on: sql)
        }
    }
}
