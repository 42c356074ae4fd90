import SQLKit

/// A dealer's service specialist: the manager (sales role `service`) who keeps its documents and
/// reconciliation acts, and whose act timeliness the KPI reports.
struct AddServiceSpecialistToDealers: Migration {
    let version = 18
    let name = "add_service_specialist_to_dealers"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw("ALTER TABLE dealers ADD COLUMN service_specialist_id \(unsafeRaw: types.uuid) REFERENCES managers (id)").run()
        try await sql.raw("CREATE INDEX dealers_service_specialist ON dealers (service_specialist_id)").run()
    }
}
