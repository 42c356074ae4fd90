import DealerCore
import Foundation
import SQLKit

/// Whether a sign-in may be tried now, and against what.
public enum SignInGate: Sendable, Equatable {
    /// The account and its hash to verify the password against; nil account: no such active
    /// account with a password (the caller still spends the time of a verify, so timing tells nothing).
    case open(user: ConsoleUser?, passwordHash: String?)
    /// Too many failures from this account or this address: try again after `until`.
    case locked(until: Date)
}

/// A new session: the token for the cookie and the CSRF token its forms carry. Only the token's
/// hash is stored.
public struct ConsoleSessionGrant: Sendable, Equatable {
    public var token: String
    public var csrf: String
}

extension ConsoleStore {
    public func signInGate(email: String, address: String) async throws -> SignInGate {
        let now = clock.now()
        return try await database.read { sql in
            if let row = try await sql.raw("SELECT locked_until FROM console_address_failures WHERE address = \(bind: address)").first(),
                let until = try row.optionalInstant("locked_until"), until > now
            {
                return .locked(until: until)
            }
            guard
                let row = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.userColumns), u.locked_until FROM console_users u
                    WHERE u.email = \(bind: email.trimmingCharacters(in: .whitespaces).lowercased())
                    """
                ).first()
            else { return .open(user: nil, passwordHash: nil) }
            if let until = try row.optionalInstant("locked_until"), until > now { return .locked(until: until) }
            let user = try Self.decodeUser(row)
            guard user.active, let hash = try row.decode(column: "password_hash", as: String?.self) else {
                return .open(user: nil, passwordHash: nil)
            }
            return .open(user: user, passwordHash: hash)
        }
    }

    /// Counts a failed sign-in against the account (when there is one) and the address, locking
    /// either once its throttle says so. A lock is audited on the account.
    public func recordFailedSignIn(userID: UUID?, address: String) async throws {
        let now = clock.now()
        try await database.transaction { sql in
            if let userID,
                let row = try await sql.raw("SELECT failed_sign_ins FROM console_users WHERE id = \(bind: userID)").first()
            {
                let failures = try row.decode(column: "failed_sign_ins", as: Int.self) + 1
                let lock = SignInThrottle.account.lockout(afterFailures: failures).map { Timestamp.truncated(now.addingTimeInterval($0)) }
                try await sql.raw(
                    "UPDATE console_users SET failed_sign_ins = \(bind: failures), locked_until = \(bind: lock) WHERE id = \(bind: userID)"
                ).run()
                if let lock {
                    try await AuditTrail.append(
                        AuditRecord(
                            actor: "console:\(address)", action: "user.locked", entityType: "console_user", entityID: userID.lowercased,
                            before: nil, after: .object(["failures": .number(Decimal(failures)), "until": .string(Timestamp.format(lock))])),
                        at: now, on: sql)
                }
            }
            let throttle = SignInThrottle.address
            let previous = try await sql.raw("SELECT failures, updated_at FROM console_address_failures WHERE address = \(bind: address)").first()
            // An address's count fades: failures an hour and more apart are not one attack.
            let earlier =
                try previous.map { row in
                    now.timeIntervalSince(try row.instant("updated_at")) > throttle.longestLockout
                        ? 0 : try row.decode(column: "failures", as: Int.self)
                } ?? 0
            let failures = earlier + 1
            let lock = throttle.lockout(afterFailures: failures).map { Timestamp.truncated(now.addingTimeInterval($0)) }
            if previous == nil {
                try await sql.raw(
                    """
                    INSERT INTO console_address_failures (address, failures, locked_until, updated_at)
                    VALUES (\(bind: address), \(bind: failures), \(bind: lock), \(bind: now))
                    """
                ).run()
            } else {
                try await sql.raw(
                    """
                    UPDATE console_address_failures SET failures = \(bind: failures), locked_until = \(bind: lock), updated_at = \(bind: now)
                    WHERE address = \(bind: address)
                    """
                ).run()
            }
        }
    }

    /// Opens a session for a person whose password was right: a new token every time, so a session
    /// id planted before sign-in is never the one signed in (no fixation). Forgives the account's
    /// failures; audited.
    public func startSession(userID: UUID, address: String) async throws -> ConsoleSessionGrant {
        let now = clock.now()
        let grant = ConsoleSessionGrant(token: Self.randomToken(), csrf: Self.randomToken())
        try await database.transaction { sql in
            try await sql.raw("UPDATE console_users SET failed_sign_ins = 0, locked_until = NULL WHERE id = \(bind: userID)").run()
            try await sql.raw(
                """
                INSERT INTO console_sessions (token_hash, user_id, csrf_token, address, created_at, last_seen_at)
                VALUES (\(bind: APIKeySecret.hash(grant.token)), \(bind: userID), \(bind: grant.csrf), \(bind: address), \(bind: now), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: "console:\(address)", action: "user.sign_in", entityType: "console_user", entityID: userID.lowercased, before: nil,
                    after: nil),
                at: now, on: sql)
        }
        return grant
    }
}
