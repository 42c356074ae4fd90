import DealerCore
import Foundation
import SQLKit

/// A deep link that binds a Telegram chat to a dealer's contact (known by dealer and e-mail).
public struct ContactTelegramLink: Sendable, Equatable {
    public var dealerID: UUID
    public var email: String
    public var code: String
    public var expiresAt: Date
}

extension NotificationStore {
    /// A one-time code for the deep link of the contact of `dealerID` with `email`, valid for
    /// `lifetime`; only its hash is stored. The contact must be on the dealer's card.
    public func makeContactTelegramLink(
        dealerID: UUID, email: String, lifetime: TimeInterval, by actor: Caller
    ) async throws
        -> ContactTelegramLink
    {
        let now = clock.now()
        let code = Self.newLinkCode()
        let expires = Timestamp.truncated(now.addingTimeInterval(lifetime))
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        try await database.transaction { sql in
            guard let dealer = try await Store.fetchDealer(id: dealerID, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            guard ContactChat.contact(of: dealer, email: address) != nil else {
                throw ValidationError(field: "email", "no contact with this e-mail on the dealer's card: add it to contacts first")
            }
            try await sql.raw(
                """
                INSERT INTO contact_telegram_link_codes (code_hash, dealer_id, email, created_by, created_at, expires_at)
                VALUES (\(bind: Self.hash(code)), \(bind: dealerID), \(bind: address), \(bind: actor.name), \(bind: now), \(bind: expires))
                """
            ).run()
        }
        return ContactTelegramLink(dealerID: dealerID, email: address, code: code, expiresAt: expires)
    }

    /// Spends a contact's code on `sql` and binds `chatID` to that contact, replacing its earlier
    /// chat and freeing the chat from anyone else; nil when the code is not a contact's live code.
    static func linkContactChat(
        code: String, chatID: String, username: String?, now: Date, on sql: any SQLDatabase, flavor: SQLFlavor
    )
        async throws -> TelegramLinkResult?
    {
        guard
            let row = try await sql.raw(
                """
                SELECT dealer_id, email FROM contact_telegram_link_codes
                WHERE code_hash = \(bind: hash(code)) AND used_at IS NULL AND expires_at > \(bind: now)\(unsafeRaw: flavor.rowLockForUpdate)
                """
            ).first()
        else { return nil }
        let dealerID = try row.decode(column: "dealer_id", as: UUID.self)
        let email = try row.decode(column: "email", as: String.self)
        try await sql.raw("UPDATE contact_telegram_link_codes SET used_at = \(bind: now) WHERE code_hash = \(bind: hash(code))").run()
        // The contact may have left the card since the link was made: then nobody is linked.
        guard let dealer = try await Store.fetchDealer(id: dealerID, on: sql, lockingOn: nil),
            let contact = ContactChat.contact(of: dealer, email: email)
        else { return .invalidCode }
        try await freeChat(chatID, on: sql)
        try await sql.raw("DELETE FROM contact_telegram_chats WHERE dealer_id = \(bind: dealerID) AND email = \(bind: email)").run()
        try await sql.raw(
            """
            INSERT INTO contact_telegram_chats (dealer_id, email, chat_id, username, linked_at)
            VALUES (\(bind: dealerID), \(bind: email), \(bind: chatID), \(bind: username), \(bind: now))
            """
        ).run()
        try await AuditTrail.append(
            AuditRecord(
                actor: "telegram:\(chatID)", action: "telegram.link", entityType: "dealer", entityID: dealerID.lowercased, before: nil,
                after: .object(["email": .string(email), "chat_id": .string(chatID)])),
            at: now, on: sql)
        return .linkedContact(name: contact.name, dealer: dealer.name)
    }

    /// A chat belongs to one person: whoever had it before loses it.
    static func freeChat(_ chatID: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM telegram_chats WHERE chat_id = \(bind: chatID)").run()
        try await sql.raw("DELETE FROM contact_telegram_chats WHERE chat_id = \(bind: chatID)").run()
    }

    /// Unbinds a contact's chat (from its dealer's card, or from the chat with /stop); audited.
    /// Returns whether one was bound.
    @discardableResult
    public func unlinkContactTelegram(dealerID: UUID? = nil, email: String? = nil, chatID: String? = nil, actor: String) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { sql in
            let condition: SQLQueryString =
                if let dealerID, let email {
                    "dealer_id = \(bind: dealerID) AND email = \(bind: email.lowercased())"
                } else {
                    "chat_id = \(bind: chatID ?? "")"
                }
            guard let row = try await sql.raw("SELECT dealer_id, email, chat_id FROM contact_telegram_chats WHERE \(condition)").first() else {
                return false
            }
            let dealer = try row.decode(column: "dealer_id", as: UUID.self)
            let address = try row.decode(column: "email", as: String.self)
            try await sql.raw("DELETE FROM contact_telegram_chats WHERE dealer_id = \(bind: dealer) AND email = \(bind: address)").run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor, action: "telegram.unlink", entityType: "dealer", entityID: dealer.lowercased,
                    before: .object(["email": .string(address), "chat_id": .string(try row.decode(column: "chat_id", as: String.self))]),
                    after: nil),
                at: now, on: sql)
            return true
        }
    }

    /// The chats a dealer's contacts linked, with the contacts' names as the card has them now.
    public func contactChats(dealerID: UUID) async throws -> [ContactChat] {
        let dealer = try await database.read { sql in try await Store.fetchDealer(id: dealerID, on: sql, lockingOn: nil) }
        guard let dealer else { throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased) }
        return try await contactChats(of: dealer)
    }

    /// The same for a dealer already read (the console's card has it): one query, the chats only.
    public func contactChats(of dealer: Dealer) async throws -> [ContactChat] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT email, chat_id, username, linked_at FROM contact_telegram_chats WHERE dealer_id = \(bind: dealer.id) ORDER BY email"
            ).all().corruptRowsSkipped(table: "contact_telegram_chats") { row in
                let email = try row.decode(column: "email", as: String.self)
                return ContactChat(
                    dealerID: dealer.id, email: email, name: ContactChat.contact(of: dealer, email: email)?.name,
                    chatID: try row.decode(column: "chat_id", as: String.self), username: try row.decode(column: "username", as: String?.self),
                    linkedAt: try row.instant("linked_at"))
            }
        }
    }

    /// The contacts' chats of `dealerIDs`, filed as routing looks them up.
    static func contactChats(of dealerIDs: some Collection<UUID>, on sql: any SQLDatabase) async throws -> [String: String] {
        var chats: [String: String] = [:]
        for chunk in Array(dealerIDs).chunked(200) {
            for row in try await sql.raw("SELECT dealer_id, email, chat_id FROM contact_telegram_chats WHERE dealer_id IN (\(binds: chunk))").all() {
                guard let dealer = try? row.decode(column: "dealer_id", as: UUID.self), let email = try? row.decode(column: "email", as: String.self),
                    let chat = try? row.decode(column: "chat_id", as: String.self)
                else { continue }
                chats[ContactChat.key(dealer, email)] = chat
            }
        }
        return chats
    }
}
