import SQLKit

/// Endpoints, one delivery per (endpoint, event), every attempt, and the fan-out position.
struct CreateWebhooks: Migration {
    let version = 9
    let name = "create_webhooks"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE webhook_endpoints (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                url TEXT NOT NULL,
                description TEXT NOT NULL,
                event_types TEXT NOT NULL,
                enabled \(unsafeRaw: types.bool) NOT NULL,
                disabled_reason TEXT,
                disabled_at \(unsafeRaw: types.instant),
                failing_since \(unsafeRaw: types.instant),
                secret TEXT NOT NULL,
                previous_secret TEXT,
                previous_secret_expires_at \(unsafeRaw: types.instant),
                start_seq BIGINT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE webhook_deliveries (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                endpoint_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
                event_seq BIGINT NOT NULL,
                event_id \(unsafeRaw: types.uuid) NOT NULL,
                event_type TEXT NOT NULL,
                dealer_id \(unsafeRaw: types.uuid),
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                cycle_attempts INTEGER NOT NULL,
                next_attempt_at \(unsafeRaw: types.instant),
                lease_owner TEXT,
                lease_expires_at \(unsafeRaw: types.instant),
                last_status_code INTEGER,
                last_error TEXT,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                delivered_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
        try await sql.raw("CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_seq)").run()
        // What the dispatcher claims: due pending deliveries.
        try await sql.raw(
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, event_seq) WHERE status = 'pending'"
        ).run()
        // Per-dealer order: the earliest pending delivery of a dealer to an endpoint goes first.
        try await sql.raw(
            "CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (endpoint_id, dealer_id, event_seq) WHERE status = 'pending'"
        ).run()
        // Housekeeping keeps an event while a delivery of it is kept.
        try await sql.raw("CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq)").run()
        try await sql.raw(
            """
            CREATE TABLE webhook_attempts (
                seq \(unsafeRaw: types.sequenceKey),
                delivery_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                started_at \(unsafeRaw: types.instant) NOT NULL,
                duration_ms INTEGER NOT NULL,
                status_code INTEGER,
                error TEXT,
                response TEXT,
                replica TEXT
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, seq)").run()
        // The last event fanned out to deliveries; one row, locked by the replica fanning out.
        try await sql.raw("CREATE TABLE webhook_fanout (id INTEGER PRIMARY KEY, last_seq BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO webhook_fanout (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events").run()
        // An event meant for one endpoint only (webhook.ping); such events stay out of the feed.
        try await sql.raw("ALTER TABLE events ADD COLUMN audience \(unsafeRaw: types.uuid)").run()
    }
}
