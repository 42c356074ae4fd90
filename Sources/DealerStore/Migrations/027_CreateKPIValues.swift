import SQLKit

/// The facts dealerd cannot see (calls, reach, CSI, …), pushed per manager, period and KPI by the
/// telephony, the CRM or the head of sales, with their source.
struct CreateKPIValues: Migration {
    let version = 27
    let name = "create_kpi_values"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE kpi_values (
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                period TEXT NOT NULL,
                kpi TEXT NOT NULL,
                value TEXT NOT NULL,
                source TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at \(unsafeRaw: types.instant) NOT NULL,
                PRIMARY KEY (manager_id, period, kpi)
            )
            """
        ).run()
    }
}
