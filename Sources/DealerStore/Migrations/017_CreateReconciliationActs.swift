import SQLKit

/// Reconciliation acts: immutable, numbered, one row per version of a dealer's act for a period;
/// and the yearly counter their numbers come from.
struct CreateReconciliationActs: Migration {
    let version = 17
    let name = "create_reconciliation_acts"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE reconciliation_acts (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                period_from TEXT NOT NULL,
                period_to TEXT NOT NULL,
                version INTEGER NOT NULL,
                previous_id \(unsafeRaw: types.uuid) REFERENCES reconciliation_acts (id),
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                statement \(unsafeRaw: types.json) NOT NULL,
                closing_minor BIGINT NOT NULL,
                generated_at \(unsafeRaw: types.instant) NOT NULL,
                generated_event_id \(unsafeRaw: types.uuid) NOT NULL,
                sent_at \(unsafeRaw: types.instant),
                outdated_at \(unsafeRaw: types.instant),
                dealer_closing_minor BIGINT,
                discrepancies \(unsafeRaw: types.json),
                answered_at \(unsafeRaw: types.instant),
                answered_by TEXT,
                reminded_at \(unsafeRaw: types.instant),
                UNIQUE (dealer_id, period_from, period_to, version)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX reconciliation_acts_period ON reconciliation_acts (period_from, period_to, status)").run()
        try await sql.raw("CREATE INDEX reconciliation_acts_dealer ON reconciliation_acts (dealer_id, period_to)").run()
        try await sql.raw("CREATE INDEX reconciliation_acts_event ON reconciliation_acts (generated_event_id)").run()
        try await sql.raw(
            "CREATE TABLE reconciliation_act_numbers (year INTEGER PRIMARY KEY, last_sequence INTEGER NOT NULL)"
        ).run()
    }
}
