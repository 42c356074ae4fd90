import SQLKit

/// Numbers each dealer's events 1, 2, 3 … so a consumer (the event feed, webhook receivers) can check
/// it has seen a dealer's events in order and without a gap.
struct AddDealerSequenceToEvents: Migration {
    let version = 7
    let name = "add_dealer_sequence_to_events"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw("ALTER TABLE events ADD COLUMN dealer_seq BIGINT").run()
        // Events written before this migration are numbered in feed order.
        try await sql.raw(
            """
            UPDATE events SET dealer_seq = (
                SELECT COUNT(*) FROM events earlier WHERE earlier.dealer_id = events.dealer_id AND earlier.seq <= events.seq)
            WHERE dealer_id IS NOT NULL
            """
        ).run()
        try await sql.raw("CREATE UNIQUE INDEX events_dealer_seq ON events (dealer_id, dealer_seq)").run()
    }
}
