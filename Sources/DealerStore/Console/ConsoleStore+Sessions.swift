import DealerCore
import Foundation
import SQLKit

/// A live session and who it belongs to.
public struct ConsoleSession: Sendable, Equatable {
    public var user: ConsoleUser
    /// Every state-changing form of this session carries it.
    public var csrf: String
    public var createdAt: Date
}

extension ConsoleStore {
    /// The session behind a cookie's token while it lives: not revoked, within its idle and absolute
    /// lifetimes, its account active. Records the request's time now and then (`shouldTouch`).
    public func session(token: String, policy: ConsoleSessionPolicy) async throws -> ConsoleSession? {
        let now = clock.now()
        let hash = APIKeySecret.hash(token)
        let found = try await database.read { sql -> (ConsoleSession, Date)? in
            guard
                let row = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.userColumns), s.csrf_token, s.created_at AS session_created_at, s.last_seen_at
                    FROM console_sessions s JOIN console_users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: hash) AND s.revoked_at IS NULL AND u.active = \(bind: true)
                    """
                ).first()
            else { return nil }
            let session = ConsoleSession(
                user: try Self.decodeUser(row), csrf: try row.decode(column: "csrf_token", as: String.self),
                createdAt: try row.instant("session_created_at"))
            return (session, try row.instant("last_seen_at"))
        }
        guard let (session, lastSeen) = found, policy.isLive(createdAt: session.createdAt, lastSeenAt: lastSeen, at: now) else { return nil }
        if policy.shouldTouch(lastSeenAt: lastSeen, at: now) {
            try await database.transaction { sql in
                try await sql.raw("UPDATE console_sessions SET last_seen_at = \(bind: now) WHERE token_hash = \(bind: hash)").run()
            }
        }
        return session
    }

    /// Ends the session behind a token (sign-out). Audited; an unknown token changes nothing.
    public func endSession(token: String) async throws {
        let now = clock.now()
        let hash = APIKeySecret.hash(token)
        try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    "SELECT user_id FROM console_sessions WHERE token_hash = \(bind: hash) AND revoked_at IS NULL"
                ).first()
            else { return }
            let userID = try row.decode(column: "user_id", as: UUID.self)
            try await sql.raw("UPDATE console_sessions SET revoked_at = \(bind: now) WHERE token_hash = \(bind: hash)").run()
            guard let user = try await sql.raw("SELECT email FROM console_users WHERE id = \(bind: userID)").first() else { return }
            try await AuditTrail.append(
                AuditRecord(
                    actor: try user.decode(column: "email", as: String.self), action: "user.sign_out", entityType: "console_user",
                    entityID: userID.lowercased, before: nil, after: nil),
                at: now, on: sql)
        }
    }
}
