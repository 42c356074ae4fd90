import Crypto
import DealerCore
import Foundation
import SQLKit

/// A deep link that binds a Telegram chat to a person: `https://t.me/<bot>?start=<code>`.
public struct TelegramLink: Sendable, Equatable, Codable {
    public var managerID: UUID
    public var code: String
    public var expiresAt: Date
}

/// What became of a `/start CODE`.
public enum TelegramLinkResult: Sendable, Equatable {
    case linked(Manager)
    /// A dealer's contact: its name and its dealer's, for the greeting.
    case linkedContact(name: String, dealer: String)
    /// Unknown, used or expired.
    case invalidCode
}

extension NotificationStore {
    /// A one-time code for `managerID`'s deep link, valid for `lifetime`; only its hash is stored.
    public func makeTelegramLink(managerID: UUID, lifetime: TimeInterval, by actor: Caller) async throws -> TelegramLink {
        let now = clock.now()
        let code = Self.newLinkCode()
        let expires = Timestamp.truncated(now.addingTimeInterval(lifetime))
        try await database.transaction { sql in
            guard try await sql.raw("SELECT id FROM managers WHERE id = \(bind: managerID)").first() != nil else {
                throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
            }
            try await sql.raw(
                """
                INSERT INTO telegram_link_codes (code_hash, manager_id, created_by, created_at, expires_at)
                VALUES (\(bind: Self.hash(code)), \(bind: managerID), \(bind: actor.name), \(bind: now), \(bind: expires))
                """
            ).run()
        }
        return TelegramLink(managerID: managerID, code: code, expiresAt: expires)
    }

    /// Binds `chatID` to the person whose code it is (once: the code is spent), replacing an earlier
    /// chat of theirs and freeing the chat from anyone it was bound to before. A manager's code or a
    /// dealer contact's. Audited.
    public func linkTelegram(code: String, chatID: String, username: String?) async throws -> TelegramLinkResult {
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT manager_id FROM telegram_link_codes
                    WHERE code_hash = \(bind: Self.hash(code)) AND used_at IS NULL AND expires_at > \(bind: now)\(unsafeRaw: flavor.rowLockForUpdate)
                    """
                ).first()
            else {
                return try await Self.linkContactChat(code: code, chatID: chatID, username: username, now: now, on: sql, flavor: flavor)
                    ?? .invalidCode
            }
            let managerID = try row.decode(column: "manager_id", as: UUID.self)
            try await sql.raw("UPDATE telegram_link_codes SET used_at = \(bind: now) WHERE code_hash = \(bind: Self.hash(code))").run()
            try await Self.freeChat(chatID, on: sql)
            try await sql.raw("DELETE FROM telegram_chats WHERE manager_id = \(bind: managerID)").run()
            try await sql.raw(
                """
                INSERT INTO telegram_chats (manager_id, chat_id, username, linked_at)
                VALUES (\(bind: managerID), \(bind: chatID), \(bind: username), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: "telegram:\(chatID)", action: "telegram.link", entityType: "manager", entityID: managerID.lowercased, before: nil,
                    after: .object(["chat_id": .string(chatID)])),
                at: now, on: sql)
            guard
                let manager = try await sql.raw(
                    "SELECT id, name, email, role, active, created_at, updated_at FROM managers WHERE id = \(bind: managerID)"
                ).first().map(Store.decodeManager)
            else { return .invalidCode }
            return .linked(manager)
        }
    }

    /// Unbinds a person's chat (by the person, or from the chat with /stop). Returns whether one was bound.
    @discardableResult
    public func unlinkTelegram(managerID: UUID? = nil, chatID: String? = nil, actor: String) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { sql in
            let condition: SQLQueryString =
                if let managerID { "manager_id = \(bind: managerID)" } else { "chat_id = \(bind: chatID ?? "")" }
            guard let row = try await sql.raw("SELECT manager_id, chat_id FROM telegram_chats WHERE \(condition)").first() else { return false }
            let owner = try row.decode(column: "manager_id", as: UUID.self)
            try await sql.raw("DELETE FROM telegram_chats WHERE manager_id = \(bind: owner)").run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor, action: "telegram.unlink", entityType: "manager", entityID: owner.lowercased,
                    before: .object(["chat_id": .string(try row.decode(column: "chat_id", as: String.self))]), after: nil),
                at: now, on: sql)
            return true
        }
    }

    /// The chat a person linked, if any.
    public func telegramChat(managerID: UUID) async throws -> String? {
        try await database.read { sql in
            try await sql.raw("SELECT chat_id FROM telegram_chats WHERE manager_id = \(bind: managerID)").first()?
                .decode(column: "chat_id", as: String.self)
        }
    }

    /// The person a chat belongs to, for the bot's commands.
    public func manager(linkedTo chatID: String) async throws -> Manager? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT m.id, m.name, m.email, m.role, m.active, m.created_at, m.updated_at
                FROM telegram_chats t JOIN managers m ON m.id = t.manager_id WHERE t.chat_id = \(bind: chatID)
                """
            ).first().map(Store.decodeManager)
        }
    }

    /// The last update the bot has handled (getUpdates continues after it).
    public func telegramOffset() async throws -> Int64 {
        try await database.read { sql in
            try await sql.raw("SELECT last_update_id FROM telegram_updates WHERE id = 1").first()?
                .decode(column: "last_update_id", as: Int64.self) ?? 0
        }
    }

    public func setTelegramOffset(_ updateID: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw("UPDATE telegram_updates SET last_update_id = \(bind: updateID) WHERE id = 1 AND last_update_id < \(bind: updateID)")
                .run()
        }
    }

    /// Telegram allows A-Z a-z 0-9 _ - in a start parameter, up to 64 characters: 24 random bytes.
    static func newLinkCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode(Data((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    static func hash(_ code: String) -> String {
        SHA256.hash(data: Data(code.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
