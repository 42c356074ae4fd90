import SQLKit

/// The notification outbox: one message per (event, channel, address) as it was rendered, every
/// attempt to send it, the fan-out position, and people's mutes.
struct CreateNotifications: Migration {
    let version = 21
    let name = "create_notifications"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE notifications (
                seq \(unsafeRaw: types.sequenceKey),
                id \(unsafeRaw: types.uuid) NOT NULL UNIQUE,
                event_seq BIGINT,
                event_id \(unsafeRaw: types.uuid),
                event_type TEXT,
                dealer_id \(unsafeRaw: types.uuid),
                rule TEXT NOT NULL,
                channel TEXT NOT NULL,
                recipient_kind TEXT NOT NULL,
                manager_id \(unsafeRaw: types.uuid),
                recipient_name TEXT,
                address TEXT NOT NULL,
                subject TEXT NOT NULL,
                body_text TEXT NOT NULL,
                body_html TEXT,
                attachments \(unsafeRaw: types.json) NOT NULL,
                urgent \(unsafeRaw: types.bool) NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                cycle_attempts INTEGER NOT NULL,
                not_before \(unsafeRaw: types.instant) NOT NULL,
                next_attempt_at \(unsafeRaw: types.instant),
                lease_owner TEXT,
                lease_expires_at \(unsafeRaw: types.instant),
                last_error TEXT,
                provider_id TEXT,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                sent_at \(unsafeRaw: types.instant)
            )
            """
        ).run()
        // An event reaches an address by a channel once, however often it is fanned out.
        try await sql.raw("CREATE UNIQUE INDEX notifications_once ON notifications (event_id, channel, address)").run()
        try await sql.raw("CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'").run()
        try await sql.raw("CREATE INDEX notifications_dealer ON notifications (dealer_id, created_at)").run()
        try await sql.raw("CREATE INDEX notifications_manager ON notifications (manager_id, created_at)").run()
        try await sql.raw("CREATE INDEX notifications_event ON notifications (event_seq)").run()
        try await sql.raw(
            """
            CREATE TABLE notification_attempts (
                seq \(unsafeRaw: types.sequenceKey),
                notification_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                started_at \(unsafeRaw: types.instant) NOT NULL,
                duration_ms INTEGER NOT NULL,
                error TEXT,
                response TEXT,
                replica TEXT
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX notification_attempts_of ON notification_attempts (notification_id, seq)").run()
        // The last event fanned out to notifications; one row, locked by the replica fanning out.
        // Starts at the head: events from before notifications existed are not announced.
        try await sql.raw("CREATE TABLE notification_fanout (id INTEGER PRIMARY KEY, last_seq BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO notification_fanout (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events").run()
        try await sql.raw(
            """
            CREATE TABLE notification_mutes (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                manager_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES managers (id),
                dealer_id \(unsafeRaw: types.uuid) REFERENCES dealers (id),
                event_type TEXT,
                created_by TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        // NULLs differ in a unique index on both databases, so the store keeps mutes unique itself.
        try await sql.raw("CREATE INDEX notification_mutes_of ON notification_mutes (manager_id)").run()
    }
}
