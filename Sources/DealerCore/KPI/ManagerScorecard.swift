import Foundation

/// One manager's scorecard for a period, with the forecast at the run rate while the period runs and
/// what would lift the bonus most.
public struct ManagerScorecard: Sendable, Equatable {
    public var manager: Manager
    public var period: PlanPeriod
    /// The period is still running: the bonus is earned so far, and `forecast` says where the pace leads.
    public var running: Bool
    public var dealers: Int
    public var scorecard: Scorecard
    public var forecast: Scorecard?
    public var lifts: [Scorecard.Lift]

    /// The scorecards of every manager whose role has a scheme, best first (points, then bonus, then
    /// name). `targets` are each manager's own targets for the period, `external` the values pushed
    /// for it (`ExternalKPIValue.resolveAll`); pushed values are taken as they are in the forecast,
    /// since dealerd cannot tell whether one is the month so far or the month's total; so are
    /// `deals`, the CRM's deals that touch the period.
    public static func department(
        managers: [Manager], figures: [DealerKPIFigures], schemes: [SalesRole: KPIScheme], targets: [UUID: [KPI: Decimal]] = [:],
        external: [UUID: [KPI: ExternalKPIValue]] = [:], deals: [Deal] = [], period: PlanPeriod, today: CivilDate
    ) -> [ManagerScorecard] {
        let salesManagers = managers.filter { $0.active && ($0.role == .newClients || $0.role == .existingClients) }.count
        let projected = KPIFacts.atRunRate(figures, period: period, today: today)
        let departmentSales = KPIFacts.exactSum(figures.lazy.map(\.salesMinor))
        let projectedSales = projected.map { KPIFacts.exactSum($0.lazy.map(\.salesMinor)) }
        return managers.compactMap { manager -> ManagerScorecard? in
            guard manager.active, let scheme = schemes[manager.role] else { return nil }
            let own = targets[manager.id] ?? [:]
            let pushed = external[manager.id] ?? [:]
            let facts = KPIFacts.compute(
                for: manager, dealers: figures, period: period, salesManagers: salesManagers, departmentSales: departmentSales,
                external: pushed, deals: deals)
            let scorecard = Scorecard.compute(scheme: scheme, facts: facts, targets: own)
            let forecast = projected.map {
                Scorecard.compute(
                    scheme: scheme,
                    facts: KPIFacts.compute(
                        for: manager, dealers: $0, period: period, salesManagers: salesManagers, departmentSales: projectedSales,
                        external: pushed, deals: deals),
                    targets: own)
            }
            return ManagerScorecard(
                manager: manager, period: period, running: projected != nil,
                dealers: KPIFacts.scope(of: manager, in: figures).count, scorecard: scorecard, forecast: forecast,
                lifts: scorecard.lifts(facts: facts, targets: own))
        }.sorted {
            ($0.scorecard.points, $0.scorecard.bonusMinor, $1.manager.name) > ($1.scorecard.points, $1.scorecard.bonusMinor, $0.manager.name)
        }
    }
}
