import SQLKit

struct CreateDealers: Migration {
    let version = 2
    let name = "create_dealers"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE dealers (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                legal_name TEXT NOT NULL,
                tax_id TEXT NOT NULL,
                kpp TEXT,
                region TEXT,
                city TEXT,
                segment TEXT,
                manager_id \(unsafeRaw: types.uuid) REFERENCES managers(id),
                contacts \(unsafeRaw: types.json) NOT NULL,
                attributes \(unsafeRaw: types.json) NOT NULL,
                status TEXT NOT NULL,
                status_reason TEXT,
                status_changed_at \(unsafeRaw: types.instant) NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                search_text TEXT NOT NULL
            )
            """
        ).run()
        // The list's order (name, id) and its filters.
        try await sql.raw("CREATE INDEX dealers_name_id ON dealers (name, id)").run()
        try await sql.raw("CREATE INDEX dealers_tax_id ON dealers (tax_id)").run()
        try await sql.raw("CREATE INDEX dealers_status ON dealers (status)").run()
        try await sql.raw("CREATE INDEX dealers_region ON dealers (region)").run()
        try await sql.raw("CREATE INDEX dealers_manager ON dealers (manager_id)").run()
    }
}
