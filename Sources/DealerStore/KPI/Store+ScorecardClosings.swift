import DealerCore
import Foundation
import SQLKit

/// What closing a period did.
public struct ScorecardCloseResult: Sendable, Equatable {
    public var period: PlanPeriod
    public var managers: Int
    public var created: Int
    public var revised: Int
    public var unchanged: Int
}

extension Store {
    /// The scorecards of every manager with a scheme for `period`, as they are now.
    public func scorecards(
        period: PlanPeriod, schemes: [SalesRole: KPIScheme], deadlines: ActDeadlines
    ) async throws -> (managers: [Manager], cards: [ManagerScorecard]) {
        let database = database
        async let managers = allManagers()
        async let figures = kpiFigures(period: period, deadlines: deadlines)
        async let targets = kpiTargets(period: period)
        async let external = externalKPIValues(period: period)
        async let deals = database.read { sql in try await Self.periodDeals(period, managerID: nil, on: sql) }
        let facts = try await (managers: managers, figures: figures, targets: targets, external: external, deals: deals)
        let cards = ManagerScorecard.department(
            managers: facts.managers, figures: facts.figures, schemes: schemes, targets: facts.targets, external: facts.external,
            deals: facts.deals, period: period, today: calendar.today)
        return (facts.managers, cards)
    }

    /// Freezes a period that has ended: a first version of each manager's scorecard, a revised
    /// version where the result changed since the last close, nothing where it did not; with
    /// `kpi.period_closed`, in one transaction.
    public func closeScorecards(
        period: PlanPeriod, schemes: [SalesRole: KPIScheme], deadlines: ActDeadlines, by actor: Caller
    ) async throws -> ScorecardCloseResult {
        guard period.lastDay < calendar.today else {
            throw ValidationError(field: "period", "\(period) has not ended yet: a period is closed after its last day")
        }
        let cards = try await scorecards(period: period, schemes: schemes, deadlines: deadlines).cards
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            let latest = Dictionary(
                try await Self.closedScorecards(period: period, on: sql).map { ($0.managerID, $0) },
                uniquingKeysWith: { $0.version > $1.version ? $0 : $1 })
            let plan = ScorecardClosing.plan(period: period, cards: cards, latest: latest, at: now, by: actor.name)
            for record in plan.records {
                let bonus = KPIFacts.minor(Decimal(string: record.snapshot.bonus) ?? 0) ?? 0
                try await sql.raw(
                    """
                    INSERT INTO scorecard_closings (id, period, manager_id, version, revised, bonus_minor, snapshot, closed_at, closed_by)
                    VALUES (\(bind: record.id), \(bind: period.description), \(bind: record.managerID), \(bind: record.version),
                            \(bind: record.revised), \(bind: bonus), \(bind: DealerJSON.string(of: try JSONValueEncoder().encode(record.snapshot))),
                            \(bind: now), \(bind: actor.name))
                    """
                ).run()
            }
            let bonusTotal =
                try await sql.raw(
                    """
                    SELECT CAST(COALESCE(SUM(c.bonus_minor), 0) AS BIGINT) AS total FROM scorecard_closings c
                    WHERE c.period = \(bind: period.description)
                      AND c.version = (SELECT MAX(v.version) FROM scorecard_closings v WHERE v.period = c.period AND v.manager_id = c.manager_id)
                    """
                ).first()?.decode(column: "total", as: Int64.self) ?? 0
            let result = ScorecardCloseResult(
                period: period, managers: cards.count, created: plan.records.filter { !$0.revised }.count,
                revised: plan.records.filter(\.revised).count, unchanged: plan.unchanged)
            try await Outbox.append(
                try DomainEvent(
                    type: .kpiPeriodClosed, occurredAt: now,
                    payload: PeriodClosed(
                        period: period.description, managers: result.managers, created: result.created, revised: result.revised,
                        unchanged: result.unchanged, bonusTotal: Money(minorUnits: bonusTotal, currency: .rub), closedBy: actor.name)),
                on: sql, flavor: flavor)
            return result
        }
    }

    /// Every closed version of a period's scorecards, by manager and version.
    public func closedScorecards(period: PlanPeriod) async throws -> [ClosedScorecard] {
        try await database.read { sql in try await Self.closedScorecards(period: period, on: sql) }
    }

    static func closedScorecards(period: PlanPeriod, on sql: any SQLDatabase) async throws -> [ClosedScorecard] {
        let rows = try await sql.raw(
            """
            SELECT id, period, manager_id, version, revised, snapshot, closed_at, closed_by FROM scorecard_closings
            WHERE period = \(bind: period.description) ORDER BY manager_id, version
            """
        ).all()
        let decoder = DealerJSON.decoder()
        return CorruptRows.decode(rows, table: "scorecard_closings") { row in
            let json = try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
            return ClosedScorecard(
                id: try row.decode(column: "id", as: UUID.self), period: period, managerID: try row.decode(column: "manager_id", as: UUID.self),
                version: try row.decode(column: "version", as: Int.self), revised: try row.decode(column: "revised", as: Bool.self),
                snapshot: try JSONValueDecoder().decode(ScorecardSnapshot.self, from: json), closedAt: try row.instant("closed_at"),
                closedBy: try row.decode(column: "closed_by", as: String.self))
        }
    }
}
