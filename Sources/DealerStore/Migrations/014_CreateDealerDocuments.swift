import SQLKit

/// The documents on a dealer's file (metadata only), which accreditation profiles require.
struct CreateDealerDocuments: Migration {
    let version = 14
    let name = "create_dealer_documents"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE dealer_documents (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                kind TEXT NOT NULL,
                number TEXT,
                issued TEXT,
                expires TEXT,
                note TEXT,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX dealer_documents_dealer ON dealer_documents (dealer_id, kind)").run()
    }
}
