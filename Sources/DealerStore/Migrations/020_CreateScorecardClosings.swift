import SQLKit

/// Closed periods' scorecards, one row per manager and version: the frozen record a bonus is paid on.
struct CreateScorecardClosings: Migration {
    let version = 20
    let name = "create_scorecard_closings"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE scorecard_closings (
                seq \(unsafeRaw: types.sequenceKey),
                id \(unsafeRaw: types.uuid) NOT NULL UNIQUE,
                period TEXT NOT NULL,
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                version INTEGER NOT NULL,
                revised \(unsafeRaw: types.bool) NOT NULL,
                bonus_minor BIGINT NOT NULL,
                snapshot \(unsafeRaw: types.json) NOT NULL,
                closed_at \(unsafeRaw: types.instant) NOT NULL,
                closed_by TEXT NOT NULL,
                UNIQUE (period, manager_id, version)
            )
            """
        ).run()
    }
}
