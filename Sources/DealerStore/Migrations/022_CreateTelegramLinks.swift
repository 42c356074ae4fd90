import SQLKit

/// Telegram: the chat each person linked, the one-time codes of the deep links that link them, and
/// how far the bot has read its updates.
struct CreateTelegramLinks: Migration {
    let version = 22
    let name = "create_telegram_links"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE telegram_chats (
                manager_id \(unsafeRaw: types.uuid) PRIMARY KEY REFERENCES managers (id),
                chat_id TEXT NOT NULL UNIQUE,
                username TEXT,
                linked_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE telegram_link_codes (
                code_hash TEXT PRIMARY KEY,
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                created_by TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                expires_at \(unsafeRaw: types.instant) NOT NULL,
                used_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
        try await sql.raw("CREATE TABLE telegram_updates (id INTEGER PRIMARY KEY, last_update_id BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO telegram_updates (id, last_update_id) VALUES (1, 0)").run()
    }
}
