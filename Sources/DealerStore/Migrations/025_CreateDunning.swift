import SQLKit

/// Payment reminders to dealers: the levels sent per document and due date (each once), and the
/// promises to pay that pause them.
struct CreateDunning: Migration {
    let version = 25
    let name = "create_dunning"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE payment_promises (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                amount_minor BIGINT NOT NULL,
                currency TEXT NOT NULL,
                promised_on TEXT NOT NULL,
                made_on TEXT NOT NULL,
                note TEXT,
                made_by TEXT NOT NULL,
                status TEXT NOT NULL,
                paid_minor BIGINT,
                settled_at \(unsafeRaw: types.instant),
                created_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        // One running promise per dealer: a second is refused until the first is settled or withdrawn.
        try await sql.raw("CREATE UNIQUE INDEX payment_promises_open ON payment_promises (dealer_id) WHERE status = 'open'").run()
        try await sql.raw("CREATE INDEX payment_promises_dealer ON payment_promises (dealer_id, created_at)").run()
        try await sql.raw(
            """
            CREATE TABLE dunning_notices (
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                external_id TEXT NOT NULL,
                due_date TEXT NOT NULL,
                level INTEGER NOT NULL,
                document_number TEXT NOT NULL,
                open_minor BIGINT NOT NULL,
                event_id \(unsafeRaw: types.uuid) NOT NULL,
                sent_on TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                PRIMARY KEY (dealer_id, external_id, due_date, level)
            )
            """
        ).run()
    }
}
