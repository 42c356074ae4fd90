import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Every dealer's figures for `period` (`DealerKPIFigures`), gathered with one set query per kind
    /// of fact: the ledger's sums come back per dealer, never its entries. While the period runs, its
    /// end is today. The kinds are independent, so they are read at once on connections of their
    /// own (each statement sees its own snapshot either way) and decoded side by side.
    public func kpiFigures(period: PlanPeriod, deadlines: ActDeadlines) async throws -> [DealerKPIFigures] {
        let today = calendar.today
        let zone = calendar.timeZone
        let end = min(period.lastDay, today)
        let database = database
        async let dealers = database.read { sql in try await Self.kpiDealers(on: sql) }
        async let plans = database.read { sql in try await Self.dealerFigures(period: period, today: today, minElapsedDays: 1, on: sql) }
        async let ledger = database.read { sql in try await Self.kpiLedgerFigures(period: period, end: end, on: sql) }
        async let limits = database.read { sql in try await Self.kpiLimits(on: sql) }
        async let accreditations = database.read { sql in try await Self.kpiFirstAccreditations(in: zone, on: sql) }
        async let rhythm = database.read { sql in try await Self.kpiRhythm(on: sql) }
        async let acts = database.read { sql in try await Self.kpiActs(period: period, deadlines: deadlines, in: zone, on: sql) }

        var figures = try await dealers
        for (id, plan) in try await plans {
            figures[id]?.planMinor = plan.planMinor
            figures[id]?.salesMinor = plan.factMinor
            figures[id]?.salesYearEarlierMinor = plan.yearEarlierMinor
        }
        for (id, sums) in try await ledger {
            figures[id]?.paymentsMinor = sums.payments
            figures[id]?.balanceAtStartMinor = sums.atStart
            figures[id]?.balanceAtEndMinor = sums.atEnd
        }
        let balances = figures.mapValues(\.balanceAtEndMinor)
        let overdue = try await database.read { sql in
            try await Self.overdueDebts(balances: balances, today: end, documentsUntil: end, everyDealer: true, on: sql)
        }
        for (id, debts) in overdue { figures[id]?.overdueAtEndMinor = debts.reduce(0) { $0.saturating(adding: $1.open) } }
        for (id, limit) in try await limits { figures[id]?.limitMinor = limit }
        for (id, first) in try await accreditations { figures[id]?.firstAccreditation = first }
        for (id, status) in try await rhythm { figures[id]?.rhythm = status }
        for (id, count) in try await acts {
            figures[id]?.acts = count.acts
            figures[id]?.actsOnTime = count.onTime
        }
        return Array(figures.values)
    }

    private static func kpiDealers(on sql: any SQLDatabase) async throws -> [UUID: DealerKPIFigures] {
        var figures: [UUID: DealerKPIFigures] = [:]
        for row in try await sql.raw("SELECT id, manager_id, service_specialist_id, status FROM dealers").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            figures[id] = DealerKPIFigures(
                dealerID: id, managerID: try row.decode(column: "manager_id", as: UUID?.self),
                serviceSpecialistID: try row.decode(column: "service_specialist_id", as: UUID?.self),
                status: try row.enumeration("status", as: DealerStatus.self))
        }
        return figures
    }

    /// Payments in the period, and the balances on its eve and at its end, per dealer.
    private static func kpiLedgerFigures(
        period: PlanPeriod, end: CivilDate, on sql: any SQLDatabase
    ) async throws -> [UUID: (payments: Int64, atStart: Int64, atEnd: Int64)] {
        let (from, until) = (period.firstDay.iso, end.iso)
        var sums: [UUID: (payments: Int64, atStart: Int64, atEnd: Int64)] = [:]
        for row in try await sql.raw(
            """
            SELECT dealer_id,
                   CAST(SUM(CASE WHEN kind = 'payment' AND document_date >= \(bind: from) THEN -effect_minor ELSE 0 END) AS BIGINT) AS payments,
                   CAST(SUM(CASE WHEN document_date < \(bind: from) THEN effect_minor ELSE 0 END) AS BIGINT) AS at_start,
                   CAST(SUM(effect_minor) AS BIGINT) AS at_end
            FROM ledger_entries WHERE document_date <= \(bind: until) GROUP BY dealer_id
            """
        ).all() {
            sums[try row.decode(column: "dealer_id", as: UUID.self)] = (
                try row.decode(column: "payments", as: Int64.self), try row.decode(column: "at_start", as: Int64.self),
                try row.decode(column: "at_end", as: Int64.self)
            )
        }
        return sums
    }

    private static func kpiLimits(on sql: any SQLDatabase) async throws -> [UUID: Int64] {
        var limits: [UUID: Int64] = [:]
        for row in try await sql.raw("SELECT dealer_id, limit_minor FROM effective_credit_policies WHERE limit_minor IS NOT NULL").all() {
            limits[try row.decode(column: "dealer_id", as: UUID.self)] = try row.decode(column: "limit_minor", as: Int64.self)
        }
        return limits
    }

    /// Each dealer's first accredited decision: its day in the company's zone, and whether an override made it.
    private static func kpiFirstAccreditations(
        in zone: TimeZone, on sql: any SQLDatabase
    ) async throws -> [UUID: (day: CivilDate, overridden: Bool)] {
        var first: [UUID: (day: CivilDate, overridden: Bool)] = [:]
        for row in try await sql.raw(
            "SELECT dealer_id, decided_at, override_decision FROM accreditations WHERE decision = 'accredited' ORDER BY seq"
        ).all() {
            let id = try row.decode(column: "dealer_id", as: UUID.self)
            guard first[id] == nil else { continue }
            first[id] = (CivilDate(try row.instant("decided_at"), in: zone), try row.decode(column: "override_decision", as: String?.self) != nil)
        }
        return first
    }

    private static func kpiRhythm(on sql: any SQLDatabase) async throws -> [UUID: RhythmAssessment.Status] {
        var statuses: [UUID: RhythmAssessment.Status] = [:]
        for row in try await sql.raw("SELECT dealer_id, status FROM rhythm_states").all() {
            statuses[try row.decode(column: "dealer_id", as: UUID.self)] = try row.enumeration("status", as: RhythmAssessment.Status.self)
        }
        return statuses
    }

    /// Current acts for periods ending in `period` per dealer, and how many were made within the deadline.
    private static func kpiActs(
        period: PlanPeriod, deadlines: ActDeadlines, in zone: TimeZone, on sql: any SQLDatabase
    ) async throws -> [UUID: (acts: Int, onTime: Int)] {
        var counts: [UUID: (acts: Int, onTime: Int)] = [:]
        for row in try await sql.raw(
            """
            SELECT dealer_id, period_to, generated_at FROM reconciliation_acts
            WHERE status <> 'outdated' AND period_to >= \(bind: period.firstDay.iso) AND period_to <= \(bind: period.lastDay.iso)
            """
        ).all() {
            let id = try row.decode(column: "dealer_id", as: UUID.self)
            let generated = CivilDate(try row.instant("generated_at"), in: zone)
            let onTime = generated.days(since: try row.civilDate("period_to")) <= deadlines.generateWithinDays
            counts[id, default: (0, 0)].acts += 1
            if onTime { counts[id, default: (0, 0)].onTime += 1 }
        }
        return counts
    }

    /// Every manager, active or not, for the scorecards.
    public func allManagers() async throws -> [Manager] {
        try await database.read { sql in
            try await sql.raw("SELECT id, name, email, role, active, created_at, updated_at FROM managers ORDER BY name, id").all()
                .map(Self.decodeManager)
        }
    }
}
