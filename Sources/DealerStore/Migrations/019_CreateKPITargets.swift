import SQLKit

/// A manager's own KPI targets for a period, replacing his scheme's defaults on his scorecard.
struct CreateKPITargets: Migration {
    let version = 19
    let name = "create_kpi_targets"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE kpi_targets (
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                period TEXT NOT NULL,
                kpi TEXT NOT NULL,
                target TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at \(unsafeRaw: types.instant) NOT NULL,
                PRIMARY KEY (manager_id, period, kpi)
            )
            """
        ).run()
    }
}
