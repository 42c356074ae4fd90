import SQLKit

/// The console's people: accounts, the one-time links that let them set a password, the sessions
/// they sign in to (stored here, so any replica serves them and each can be revoked), and failed
/// sign-ins per client address.
struct CreateConsoleAccounts: Migration {
    let version = 23
    let name = "create_console_accounts"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE console_users (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                manager_id \(unsafeRaw: types.uuid) REFERENCES managers (id),
                dealer_id \(unsafeRaw: types.uuid) REFERENCES dealers (id),
                password_hash TEXT,
                failed_sign_ins INTEGER NOT NULL,
                locked_until \(unsafeRaw: types.instant),
                active \(unsafeRaw: types.bool) NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE console_links (
                code_hash TEXT PRIMARY KEY,
                user_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES console_users (id),
                purpose TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                expires_at \(unsafeRaw: types.instant) NOT NULL,
                used_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE console_sessions (
                token_hash TEXT PRIMARY KEY,
                user_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES console_users (id),
                csrf_token TEXT NOT NULL,
                address TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                last_seen_at \(unsafeRaw: types.instant) NOT NULL,
                revoked_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX console_sessions_by_user ON console_sessions (user_id)").run()
        try await sql.raw(
            """
            CREATE TABLE console_address_failures (
                address TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                locked_until \(unsafeRaw: types.instant),
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
    }
}
