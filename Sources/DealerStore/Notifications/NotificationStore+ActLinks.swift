import DealerCore
import Foundation
import SQLKit

/// The act a letter's link opens, and to whom the letter went: who answers through the link.
public struct ActAnswerLink: Sendable {
    public var actID: UUID
    /// The address the letter went to; the answer is recorded as theirs.
    public var address: String
}

extension NotificationStore {
    /// A code for the link in an act's letter to `address`, valid until `expires`; only its hash is
    /// kept. Made inside the transaction that stores the letter, so a letter never names a code
    /// that was not stored.
    static func makeActAnswerCode(act: UUID, address: String, now: Date, expires: Date, on sql: any SQLDatabase) async throws -> String {
        let code = ConsoleStore.randomToken()
        try await sql.raw(
            """
            INSERT INTO act_answer_links (code_hash, act_id, address, created_at, expires_at)
            VALUES (\(bind: APIKeySecret.hash(code)), \(bind: act), \(bind: address), \(bind: now), \(bind: Timestamp.truncated(expires)))
            """
        ).run()
        return code
    }

    /// The act and addressee of a link while it is valid; nil for an unknown or expired code. The
    /// act may be answered already or outdated: the page says so.
    public func actAnswerLink(code: String) async throws -> ActAnswerLink? {
        let now = clock.now()
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT act_id, address FROM act_answer_links
                WHERE code_hash = \(bind: APIKeySecret.hash(code)) AND expires_at > \(bind: now)
                """
            ).first().map { row in
                ActAnswerLink(actID: try row.decode(column: "act_id", as: UUID.self), address: try row.decode(column: "address", as: String.self))
            }
        }
    }
}
