import SQLKit

/// Telegram for a dealer's contacts: the chat each contact (dealer and e-mail) linked, and the
/// one-time codes of their deep links. Kept apart from the managers' chats, whose rows name a
/// manager and whose bot commands read the network.
struct CreateContactTelegramChats: Migration {
    let version = 26
    let name = "create_contact_telegram_chats"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE contact_telegram_chats (
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                email TEXT NOT NULL,
                chat_id TEXT NOT NULL UNIQUE,
                username TEXT,
                linked_at \(unsafeRaw: types.instant) NOT NULL,
                PRIMARY KEY (dealer_id, email)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE contact_telegram_link_codes (
                code_hash TEXT PRIMARY KEY,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                email TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                expires_at \(unsafeRaw: types.instant) NOT NULL,
                used_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
    }
}
