import SQLKit

/// Default credit terms per dealer segment, from config (`receivables.segment_policies`), and the
/// view every reader of terms goes through: a dealer's own policy, else its segment's default.
struct CreateSegmentCreditPolicies: Migration {
    let version = 12
    let name = "create_segment_credit_policies"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE segment_credit_policies (
                segment TEXT PRIMARY KEY,
                currency TEXT NOT NULL,
                limit_minor BIGINT NOT NULL,
                payment_term_days INTEGER NOT NULL,
                grace_days INTEGER NOT NULL,
                allowed_overdue_days INTEGER NOT NULL,
                minimum_overdue_minor BIGINT NOT NULL,
                warning_percent INTEGER NOT NULL,
                hard_block \(unsafeRaw: types.bool) NOT NULL,
                updated_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
        // `policy_segment` is null for a dealer's own policy and names the segment a default came from.
        try await sql.raw(
            """
            CREATE VIEW effective_credit_policies AS
            SELECT p.dealer_id, p.currency, p.limit_minor, p.payment_term_days, p.grace_days, p.allowed_overdue_days,
                   p.minimum_overdue_minor, p.warning_percent, p.hard_block, CAST(NULL AS TEXT) AS policy_segment
            FROM credit_policies p
            UNION ALL
            SELECT d.id, s.currency, s.limit_minor, s.payment_term_days, s.grace_days, s.allowed_overdue_days,
                   s.minimum_overdue_minor, s.warning_percent, s.hard_block, s.segment
            FROM dealers d JOIN segment_credit_policies s ON s.segment = d.segment
            WHERE NOT EXISTS (SELECT 1 FROM credit_policies own WHERE own.dealer_id = d.id)
            """
        ).run()
    }
}
