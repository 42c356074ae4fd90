import SQLKit

struct CreateAPIKeys: Migration {
    let version = 3
    let name = "create_api_keys"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        // Only the SHA-256 of a key is kept; `prefix` lets an operator recognise a key in a list.
        try await sql.raw(
            """
            CREATE TABLE api_keys (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                prefix TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                last_used_at \(unsafeRaw: types.instant),
                revoked_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
    }
}
