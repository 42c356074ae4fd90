import SQLKit

struct CreateEvents: Migration {
    let version = 5
    let name = "create_events"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        // The transactional outbox: written in the same transaction as the change it reports.
        try await sql.raw(
            """
            CREATE TABLE events (
                seq \(unsafeRaw: types.sequenceKey),
                id \(unsafeRaw: types.uuid) NOT NULL UNIQUE,
                type TEXT NOT NULL,
                occurred_at \(unsafeRaw: types.instant) NOT NULL,
                dealer_id \(unsafeRaw: types.uuid),
                data \(unsafeRaw: types.json) NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX events_dealer ON events (dealer_id, seq)").run()
    }
}
