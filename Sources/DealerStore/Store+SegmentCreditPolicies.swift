import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Makes the stored segment defaults what config says, in one transaction. Changing nothing
    /// writes nothing; a change is audited (actor `config`) and the balances of the dealers it
    /// governs are re-evaluated, so a lowered default limit raises its alerts at once.
    @discardableResult
    public func syncSegmentCreditPolicies(_ policies: [String: CreditPolicy], defaults: CreditDefaults, today: CivilDate) async throws -> Set<String>
    {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            var stored: [String: CreditPolicy] = [:]
            for row in try await sql.raw(
                """
                SELECT segment, currency, limit_minor, payment_term_days, grace_days, allowed_overdue_days, minimum_overdue_minor,
                       warning_percent, hard_block
                FROM segment_credit_policies
                """
            ).all() {
                stored[try row.decode(column: "segment", as: String.self)] = try Self.decodeCreditPolicy(row)
            }
            let wanted = policies.mapValues { policy in
                var plain = policy
                plain.segment = nil
                return plain
            }
            let changed = Set(stored.keys).union(wanted.keys).filter { stored[$0] != wanted[$0] }
            guard !changed.isEmpty else { return [] }
            for segment in changed.sorted() {
                try await sql.raw("DELETE FROM segment_credit_policies WHERE segment = \(bind: segment)").run()
                if let policy = wanted[segment] {
                    try await sql.raw(
                        """
                        INSERT INTO segment_credit_policies (segment, currency, limit_minor, payment_term_days, grace_days,
                            allowed_overdue_days, minimum_overdue_minor, warning_percent, hard_block, updated_at)
                        VALUES (\(bind: segment), \(bind: policy.currency.code), \(bind: policy.limit.minorUnits),
                                \(bind: policy.paymentTermDays), \(bind: policy.graceDays), \(bind: policy.allowedOverdueDays),
                                \(bind: policy.minimumOverdue.minorUnits), \(bind: policy.warningPercent), \(bind: policy.hardBlock), \(bind: now))
                        """
                    ).run()
                }
                try await AuditTrail.append(
                    AuditRecord(
                        actor: "config", action: "credit_policy.segment_default", entityType: "segment", entityID: segment,
                        before: stored[segment].map { DealerJSON.value(of: $0) }, after: wanted[segment].map { DealerJSON.value(of: $0) }),
                    at: now, on: sql)
            }
            // Dealers without terms of their own follow their segment's default.
            var governed: Set<UUID> = []
            for chunk in Array(changed).chunked(500) {
                for row in try await sql.raw(
                    """
                    SELECT d.id FROM dealers d JOIN dealer_balances b ON b.dealer_id = d.id
                    WHERE d.segment IN (\(binds: chunk)) AND NOT EXISTS (SELECT 1 FROM credit_policies p WHERE p.dealer_id = d.id)
                    """
                ).all() {
                    governed.insert(try row.decode(column: "id", as: UUID.self))
                }
            }
            try await Self.refreshBalances(dealerIDs: governed, defaults: defaults, today: today, at: now, on: sql, flavor: flavor)
            return changed
        }
    }
}
