import DealerCore
import Foundation
import SQLKit

/// Why a one-time link was made: a new account's first password, or a forgotten one.
public enum ConsoleLinkPurpose: String, Sendable, Codable {
    case welcome
    case reset
}

extension ConsoleStore {
    /// A one-time code for the link `…/welcome/<code>` that lets the account's owner set a password,
    /// valid for `lifetime`. Only its hash is stored; an earlier unused link of the account stops working.
    public func makeLink(userID: UUID, purpose: ConsoleLinkPurpose, lifetime: TimeInterval, by actor: Caller) async throws -> String {
        let now = clock.now()
        let code = Self.randomToken()
        let expires = Timestamp.truncated(now.addingTimeInterval(lifetime))
        try await database.transaction { sql in
            guard try await sql.raw("SELECT id FROM console_users WHERE id = \(bind: userID)").first() != nil else {
                throw DomainError.notFound(entity: "user", id: userID.lowercased)
            }
            try await sql.raw("UPDATE console_links SET used_at = \(bind: now) WHERE user_id = \(bind: userID) AND used_at IS NULL").run()
            try await sql.raw(
                """
                INSERT INTO console_links (code_hash, user_id, purpose, created_by, created_at, expires_at)
                VALUES (\(bind: APIKeySecret.hash(code)), \(bind: userID), \(bind: purpose.rawValue), \(bind: actor.name), \(bind: now),
                        \(bind: expires))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "user.link", entityType: "console_user", entityID: userID.lowercased, before: nil,
                    after: .object(["purpose": .string(purpose.rawValue), "expires_at": .string(Timestamp.format(expires))])),
                at: now, on: sql)
        }
        return code
    }

    /// The account a link is for while it is valid (unused, unexpired, the account active); nil otherwise.
    public func linkHolder(code: String) async throws -> ConsoleUser? {
        let now = clock.now()
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.userColumns) FROM console_links l JOIN console_users u ON u.id = l.user_id
                WHERE l.code_hash = \(bind: APIKeySecret.hash(code)) AND l.used_at IS NULL AND l.expires_at > \(bind: now)
                  AND u.active = \(bind: true)
                """
            ).first().map(Self.decodeUser)
        }
    }

    /// Spends the link and sets the password hash, in one transaction: the account's other sessions
    /// end (whoever knew the old password is out) and its failed sign-ins are forgiven. Nil when the
    /// link is no longer valid.
    public func setPassword(code: String, hash: String) async throws -> ConsoleUser? {
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            guard
                let user = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.userColumns) FROM console_links l JOIN console_users u ON u.id = l.user_id
                    WHERE l.code_hash = \(bind: APIKeySecret.hash(code)) AND l.used_at IS NULL AND l.expires_at > \(bind: now)
                      AND u.active = \(bind: true)\(unsafeRaw: flavor.rowLockForUpdate)
                    """
                ).first().map(Self.decodeUser)
            else { return nil }
            try await sql.raw("UPDATE console_links SET used_at = \(bind: now) WHERE code_hash = \(bind: APIKeySecret.hash(code))").run()
            try await sql.raw(
                """
                UPDATE console_users SET password_hash = \(bind: hash), failed_sign_ins = 0, locked_until = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: user.id)
                """
            ).run()
            try await sql.raw("UPDATE console_sessions SET revoked_at = \(bind: now) WHERE user_id = \(bind: user.id) AND revoked_at IS NULL")
                .run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: user.email, action: "user.password_set", entityType: "console_user", entityID: user.id.lowercased,
                    before: nil, after: nil),
                at: now, on: sql)
            var updated = user
            updated.hasPassword = true
            return updated
        }
    }

    /// When the account's latest link of this purpose was made, to keep "forgot password" from
    /// flooding a mailbox.
    public func lastLinkMade(userID: UUID, purpose: ConsoleLinkPurpose) async throws -> Date? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT MAX(created_at) AS made FROM console_links WHERE user_id = \(bind: userID) AND purpose = \(bind: purpose.rawValue)"
            ).first()?
            .decode(column: "made", as: Date?.self)
        }
    }
}
