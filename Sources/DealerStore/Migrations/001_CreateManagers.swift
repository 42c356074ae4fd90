import SQLKit

struct CreateManagers: Migration {
    let version = 1
    let name = "create_managers"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE managers (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                name TEXT NOT NULL,
                email TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                active \(unsafeRaw: types.bool) NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
    }
}
