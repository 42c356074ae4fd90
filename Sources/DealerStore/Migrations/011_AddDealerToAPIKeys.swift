import SQLKit

/// Binds a `dealer` key to its one dealer, so the dealer can read its own position and nothing else.
struct AddDealerToAPIKeys: Migration {
    let version = 11
    let name = "add_dealer_to_api_keys"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw("ALTER TABLE api_keys ADD COLUMN dealer_id \(unsafeRaw: types.uuid) REFERENCES dealers (id)").run()
    }
}
