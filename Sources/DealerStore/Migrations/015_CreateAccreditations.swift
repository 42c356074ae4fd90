import SQLKit

/// Accreditation decisions (immutable records), the expiry reminders already sent, the manager an
/// API key speaks for (the head of sales may override), and when a dealer applied.
struct CreateAccreditations: Migration {
    let version = 15
    let name = "create_accreditations"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE accreditations (
                seq \(unsafeRaw: types.sequenceKey),
                id \(unsafeRaw: types.uuid) NOT NULL UNIQUE,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                profile TEXT NOT NULL,
                profile_version TEXT NOT NULL,
                evaluated_decision TEXT NOT NULL,
                decision TEXT NOT NULL,
                score TEXT NOT NULL,
                pass_mark TEXT NOT NULL,
                override_decision TEXT,
                override_reason TEXT,
                facts \(unsafeRaw: types.json) NOT NULL,
                evaluation \(unsafeRaw: types.json) NOT NULL,
                required_documents \(unsafeRaw: types.json) NOT NULL,
                decided_by TEXT NOT NULL,
                decided_at \(unsafeRaw: types.instant) NOT NULL,
                valid_until TEXT,
                status_before TEXT NOT NULL,
                status_after TEXT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX accreditations_dealer ON accreditations (dealer_id, seq)").run()
        try await sql.raw("CREATE INDEX accreditations_decided ON accreditations (decided_at)").run()
        // One row per reminder sent: an accreditation or document, for its expiry date, at a threshold
        // (days before; 0 is the expiry itself). A renewed document has a new date, so new reminders.
        try await sql.raw(
            """
            CREATE TABLE accreditation_reminders (
                subject_id \(unsafeRaw: types.uuid) NOT NULL,
                expires TEXT NOT NULL,
                threshold_days INTEGER NOT NULL,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                sent_at \(unsafeRaw: types.instant) NOT NULL,
                PRIMARY KEY (subject_id, expires, threshold_days)
            )
            """
        ).run()
        try await sql.raw("ALTER TABLE api_keys ADD COLUMN manager_id \(unsafeRaw: types.uuid) REFERENCES managers (id)").run()
        try await sql.raw("ALTER TABLE dealers ADD COLUMN applied_at \(unsafeRaw: types.instant)").run()
        // The best that is known of dealers already past prospect: they applied when they were created.
        try await sql.raw("UPDATE dealers SET applied_at = created_at WHERE status <> 'prospect'").run()
    }
}
