import SQLKit

/// The receivables ledger from the ERP, its versions, credit policies with their history, and the
/// balance projection updated in the same transaction as each entry.
struct CreateReceivables: Migration {
    let version = 10
    let name = "create_receivables"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        // Dates are ISO text (YYYY-MM-DD): they compare and sort as dates on both databases.
        try await sql.raw(
            """
            CREATE TABLE ledger_entries (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                external_id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                document_number TEXT NOT NULL,
                document_date TEXT NOT NULL,
                amount_minor BIGINT NOT NULL,
                currency TEXT NOT NULL,
                effect_minor BIGINT NOT NULL,
                due_date TEXT,
                comment TEXT,
                reason TEXT,
                quantity TEXT,
                product_group TEXT,
                version INTEGER NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX ledger_entries_dealer ON ledger_entries (dealer_id, document_date)").run()
        try await sql.raw(
            """
            CREATE TABLE ledger_entry_versions (
                entry_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES ledger_entries (id),
                version INTEGER NOT NULL,
                content \(unsafeRaw: types.json) NOT NULL,
                recorded_at \(unsafeRaw: types.instant) NOT NULL,
                recorded_by TEXT NOT NULL,
                PRIMARY KEY (entry_id, version)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE credit_policies (
                dealer_id \(unsafeRaw: types.uuid) PRIMARY KEY REFERENCES dealers (id),
                currency TEXT NOT NULL,
                limit_minor BIGINT NOT NULL,
                payment_term_days INTEGER NOT NULL,
                grace_days INTEGER NOT NULL,
                allowed_overdue_days INTEGER NOT NULL,
                minimum_overdue_minor BIGINT NOT NULL,
                warning_percent INTEGER NOT NULL,
                hard_block \(unsafeRaw: types.bool) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL,
                updated_by TEXT NOT NULL,
                reason TEXT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE credit_policy_history (
                seq \(unsafeRaw: types.sequenceKey),
                dealer_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES dealers (id),
                policy \(unsafeRaw: types.json) NOT NULL,
                reason TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX credit_policy_history_dealer ON credit_policy_history (dealer_id, seq)").run()
        try await sql.raw(
            """
            CREATE TABLE dealer_balances (
                dealer_id \(unsafeRaw: types.uuid) PRIMARY KEY REFERENCES dealers (id),
                currency TEXT NOT NULL,
                balance_minor BIGINT NOT NULL,
                overdue_minor BIGINT NOT NULL,
                oldest_overdue_due_date TEXT,
                max_days_overdue INTEGER NOT NULL,
                overdue_beyond_grace_minor BIGINT NOT NULL,
                days_beyond_grace INTEGER NOT NULL,
                last_movement TEXT,
                credit_state TEXT NOT NULL,
                overdue_state TEXT NOT NULL,
                breach_alerted_at \(unsafeRaw: types.instant),
                as_of TEXT NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
    }
}
