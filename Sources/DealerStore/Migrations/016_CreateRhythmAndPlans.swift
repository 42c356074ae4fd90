import SQLKit

/// Sales plans per dealer and month, a dealer's own expected shipment interval, the rhythm state the
/// daily check compares against (so each transition is told once), and an index of shipments and
/// returns that both read without touching the rest of the ledger.
struct CreateRhythmAndPlans: Migration {
    let version = 16
    let name = "create_rhythm_and_plans"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE sales_plans (
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                period TEXT NOT NULL,
                amount_minor BIGINT NOT NULL,
                currency TEXT NOT NULL,
                quantity TEXT,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (dealer_id, period)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX sales_plans_period ON sales_plans (period)").run()
        try await sql.raw(
            """
            CREATE TABLE dealer_rhythm_settings (
                dealer_id \(unsafeRaw: types.uuid) PRIMARY KEY REFERENCES dealers (id),
                interval_days INTEGER NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                updated_by TEXT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE rhythm_states (
                dealer_id \(unsafeRaw: types.uuid) PRIMARY KEY REFERENCES dealers (id),
                status TEXT NOT NULL,
                since TEXT NOT NULL,
                plan_behind_period TEXT,
                checked_on TEXT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE INDEX ledger_entries_sales ON ledger_entries (dealer_id, document_date, effect_minor)
            WHERE kind IN ('shipment', 'return')
            """
        ).run()
    }
}
