import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Every dealer's figures for `period` (`DealerKPIFigures`), gathered with one set query per kind
    /// of fact: the ledger's sums come back per dealer, never its entries. While the period runs, its
    /// end is today.
    public func kpiFigures(period: PlanPeriod, deadlines: ActDeadlines) async throws -> [DealerKPIFigures] {
        let today = calendar.today
        let zone = calendar.timeZone
        let end = min(period.lastDay, today)
        return try await database.read { sql in
            var figures: [UUID: DealerKPIFigures] = [:]
            for row in try await sql.raw("SELECT id, manager_id, service_specialist_id, status FROM dealers").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                figures[id] = DealerKPIFigures(
                    dealerID: id, managerID: try row.decode(column: "manager_id", as: UUID?.self),
                    serviceSpecialistID: try row.decode(column: "service_specialist_id", as: UUID?.self),
                    status: try row.enumeration("status", as: DealerStatus.self))
            }
            for (id, plan) in try await Self.dealerFigures(period: period, today: today, minElapsedDays: 1, on: sql) {
                figures[id]?.planMinor = plan.planMinor
                figures[id]?.salesMinor = plan.factMinor
                figures[id]?.salesYearEarlierMinor = plan.yearEarlierMinor
            }
            let (from, until) = (period.firstDay.iso, end.iso)
            for row in try await sql.raw(
                """
                SELECT dealer_id,
                       CAST(SUM(CASE WHEN kind = 'payment' AND document_date >= \(bind: from) THEN -effect_minor ELSE 0 END) AS BIGINT) AS payments,
                       CAST(SUM(CASE WHEN document_date < \(bind: from) THEN effect_minor ELSE 0 END) AS BIGINT) AS at_start,
                       CAST(SUM(effect_minor) AS BIGINT) AS at_end
                FROM ledger_entries WHERE document_date <= \(bind: until) GROUP BY dealer_id
                """
            ).all() {
                let id = try row.decode(column: "dealer_id", as: UUID.self)
                figures[id]?.paymentsMinor = try row.decode(column: "payments", as: Int64.self)
                figures[id]?.balanceAtStartMinor = try row.decode(column: "at_start", as: Int64.self)
                figures[id]?.balanceAtEndMinor = try row.decode(column: "at_end", as: Int64.self)
            }
            for (id, debts) in try await Self.overdueDebts(dealerIDs: nil, today: end, documentsUntil: end, on: sql) {
                figures[id]?.overdueAtEndMinor = debts.reduce(0) { $0.saturating(adding: $1.open) }
            }
            for row in try await sql.raw("SELECT dealer_id, limit_minor FROM effective_credit_policies WHERE limit_minor IS NOT NULL").all() {
                figures[try row.decode(column: "dealer_id", as: UUID.self)]?.limitMinor = try row.decode(column: "limit_minor", as: Int64.self)
            }
            for row in try await sql.raw(
                "SELECT dealer_id, decided_at, override_decision FROM accreditations WHERE decision = 'accredited' ORDER BY seq"
            ).all() {
                let id = try row.decode(column: "dealer_id", as: UUID.self)
                guard figures[id]?.firstAccreditation == nil else { continue }
                figures[id]?.firstAccreditation = (
                    CivilDate(try row.instant("decided_at"), in: zone), try row.decode(column: "override_decision", as: String?.self) != nil
                )
            }
            for row in try await sql.raw("SELECT dealer_id, status FROM rhythm_states").all() {
                figures[try row.decode(column: "dealer_id", as: UUID.self)]?.rhythm = try row.enumeration(
                    "status", as: RhythmAssessment.Status.self)
            }
            for row in try await sql.raw(
                """
                SELECT dealer_id, period_to, generated_at FROM reconciliation_acts
                WHERE status <> 'outdated' AND period_to >= \(bind: from) AND period_to <= \(bind: period.lastDay.iso)
                """
            ).all() {
                let id = try row.decode(column: "dealer_id", as: UUID.self)
                let generated = CivilDate(try row.instant("generated_at"), in: zone)
                figures[id]?.acts += 1
                if generated.days(since: try row.civilDate("period_to")) <= deadlines.generateWithinDays { figures[id]?.actsOnTime += 1 }
            }
            return Array(figures.values)
        }
    }

    /// Every manager, active or not, for the scorecards.
    public func allManagers() async throws -> [Manager] {
        try await database.read { sql in
            try await sql.raw("SELECT id, name, email, role, active, created_at, updated_at FROM managers ORDER BY name, id").all()
                .map(Self.decodeManager)
        }
    }
}
