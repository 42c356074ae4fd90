import SQLKit

/// The sales funnel's deals, pushed by the CRM or ERP, one row per deal (its latest version), and
/// the stage each was last reported stalled at, so `deal.stalled` goes once per stage.
struct CreateDeals: Migration {
    let version = 28
    let name = "create_deals"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE deals (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                external_id TEXT NOT NULL UNIQUE,
                dealer_id \(unsafeRaw: types.uuid) REFERENCES dealers (id),
                prospect TEXT,
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                amount_minor BIGINT NOT NULL,
                currency TEXT NOT NULL,
                stage TEXT NOT NULL,
                status TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                closed_on TEXT,
                reason TEXT,
                stage_since TEXT NOT NULL,
                stalled_stage TEXT,
                version INTEGER NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX deals_manager ON deals (manager_id, opened_on)").run()
        try await sql.raw("CREATE INDEX deals_open ON deals (status, stage_since)").run()
    }
}
