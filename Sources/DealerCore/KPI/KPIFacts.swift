import Foundation

/// A KPI's fact for one manager and period.
public struct KPIFact: Sendable, Equatable {
    /// Roubles, percent or a count (`KPI.unit`); nil when there is nothing to measure (no plan, no
    /// dealers with a limit, nothing a year earlier).
    public var value: Decimal?
    /// For a share of dealers: how many count and out of how many, so a scorecard can say how many
    /// more would lift it.
    public var count: Int?
    public var of: Int?
    /// For a KPI pushed from outside: where the value came from.
    public var source: String?

    public init(_ value: Decimal?, count: Int? = nil, of: Int? = nil, source: String? = nil) {
        self.value = value
        self.count = count
        self.of = of
        self.source = source
    }
}

/// The formulas of the KPI catalogue (`KPI`), from dealers' figures for a period.
public enum KPIFacts {
    /// The dealers a manager answers for: the head of sales the whole department, a service
    /// specialist the dealers he serves, every other manager the dealers he manages.
    public static func scope(of manager: Manager, in dealers: [DealerKPIFigures]) -> [DealerKPIFigures] {
        switch manager.role {
        case .head: dealers
        case .service: dealers.filter { $0.serviceSpecialistID == manager.id }
        default: dealers.filter { $0.managerID == manager.id }
        }
    }

    /// Every KPI of the catalogue for `manager` over `period`. `salesManagers` is how many active
    /// new- and existing-clients managers the department has (for `sales_per_manager`).
    /// `departmentSales` is every dealer's sales in roubles, when the caller has it already (it is
    /// the same for every manager of a department). `external` are the values pushed for this
    /// manager and period (`ExternalKPIValue.resolve`); an external KPI without one has no fact.
    public static func compute(
        for manager: Manager, dealers all: [DealerKPIFigures], period: PlanPeriod, salesManagers: Int, departmentSales: Decimal? = nil,
        external: [KPI: ExternalKPIValue] = [:], deals: [Deal] = []
    ) -> [KPI: KPIFact] {
        let dealers = scope(of: manager, in: all)
        let end = period.lastDay
        let newPartnersFrom = end.adding(months: -12)
        func sum(_ rows: [DealerKPIFigures], _ figure: (DealerKPIFigures) -> Int64) -> Decimal { exactSum(rows.lazy.map(figure)) }
        let sales = sum(dealers, \.salesMinor)
        let earlier = sum(dealers, \.salesYearEarlierMinor)
        let plan = sum(dealers, \.planMinor)
        let receivablesAtStart = sum(dealers) { max(0, $0.balanceAtStartMinor) }
        let receivablesAtEnd = sum(dealers) { max(0, $0.balanceAtEndMinor) }
        let withLimit = dealers.filter { $0.limitMinor != nil }
        let within = withLimit.filter { $0.balanceAtEndMinor <= ($0.limitMinor ?? 0) }.count
        let rhythmKnown = dealers.filter { $0.status == .accredited && $0.rhythm != nil && $0.rhythm != .learning }
        let onRhythm = rhythmKnown.filter { $0.rhythm == .onRhythm }.count
        let accreditedInPeriod = dealers.filter { dealer in
            dealer.firstAccreditation.map { $0.day >= period.firstDay && $0.day <= end } ?? false
        }
        let byProfile = accreditedInPeriod.filter { $0.firstAccreditation?.overridden == false }.count
        let newPartners = dealers.filter { dealer in dealer.firstAccreditation.map { $0.day > newPartnersFrom && $0.day <= end } ?? false }
        let acts = dealers.reduce(0) { $0 + $1.acts }
        let actsOnTime = dealers.reduce(0) { $0 + $1.actsOnTime }
        let department = departmentSales ?? sum(all, \.salesMinor)

        var facts: [KPI: KPIFact] = [
            .salesVolume: KPIFact(sales),
            .newPartnerSales: KPIFact(sum(newPartners, \.salesMinor)),
            .salesPerManager: KPIFact(salesManagers > 0 ? Percent.rounded(department / Decimal(salesManagers), places: 2) : nil),
            .growth: KPIFact(earlier > 0 ? Percent.of(sales - earlier, earlier) : nil),
            .planFulfilment: KPIFact(plan > 0 ? Percent.of(sales, plan) : nil),
            .paymentsToReceivables: KPIFact(Percent.of(sum(dealers, \.paymentsMinor), receivablesAtStart)),
            .withinLimitShare: KPIFact(Percent.of(within, withLimit.count), count: within, of: withLimit.count),
            // Nothing owed is none overdue; a manager without dealers has nothing to measure.
            .overdueShare: KPIFact(
                dealers.isEmpty ? nil : receivablesAtEnd > 0 ? Percent.of(sum(dealers, \.overdueAtEndMinor), receivablesAtEnd) : 0),
            .rhythmShare: KPIFact(Percent.of(onRhythm, rhythmKnown.count), count: onRhythm, of: rhythmKnown.count),
            .newDealers: KPIFact(Decimal(accreditedInPeriod.count)),
            .profileCompliance: KPIFact(
                Percent.of(byProfile, accreditedInPeriod.count), count: byProfile, of: accreditedInPeriod.count),
            .actTimeliness: KPIFact(Percent.of(actsOnTime, acts), count: actsOnTime, of: acts),
            .dealersServed: KPIFact(Decimal(dealers.filter { $0.status == .accredited }.count)),
        ]
        // The funnel's own figures for the manager's deals (the head's: the department's); stages
        // play no part in them.
        let funnel = Funnel.compute(
            manager.role == .head ? deals : deals.filter { $0.managerID == manager.id }, period: period, today: end,
            settings: DealSettings(stages: []))
        facts[.dealsInWork] = KPIFact(Decimal(funnel.inWork))
        facts[.averageDealSize] = KPIFact(funnel.averageDealMinor.map(major))
        facts[.winRate] = KPIFact(funnel.winRatePercent)
        facts[.daysToClose] = KPIFact(funnel.medianDaysToClose)
        for kpi in KPI.allCases where kpi.isExternal {
            facts[kpi] = KPIFact(external[kpi]?.value, source: external[kpi]?.source)
        }
        return facts
    }

    /// The sum of minor units in exact roubles: added as integers, carried into a decimal only when
    /// they would overflow, so a department's sums cost one conversion, not one per dealer.
    public static func exactSum(_ values: some Sequence<Int64>) -> Decimal {
        var carried = Decimal(0)
        var running: Int64 = 0
        for value in values {
            let (next, overflow) = running.addingReportingOverflow(value)
            if overflow {
                carried += major(running)
                running = value
            } else {
                running = next
            }
        }
        return carried + major(running)
    }

    /// Minor units as exact roubles, through the text (Decimal(Int64) would go by Double).
    public static func major(_ minor: Int64) -> Decimal {
        (Decimal(string: String(minor)) ?? 0) / 100
    }

    /// Roubles as minor units, half up to the kopeck; nil past Int64 (through the text, so nothing traps).
    public static func minor(_ roubles: Decimal) -> Int64? {
        let kopecks = Percent.rounded(roubles * 100, places: 0)
        return Int64(kopecks.description)
    }

    /// The figures extended to the whole period at the run rate: what sales and payments would be at
    /// this pace (nil outside the period). Balances, shares and counts stay as they are.
    public static func atRunRate(_ dealers: [DealerKPIFigures], period: PlanPeriod, today: CivilDate) -> [DealerKPIFigures]? {
        guard today >= period.firstDay, today <= period.lastDay else { return nil }
        return dealers.map { dealer in
            var projected = dealer
            projected.salesMinor = PlanFulfillment.forecast(factMinor: dealer.salesMinor, period: period, today: today) ?? dealer.salesMinor
            projected.paymentsMinor =
                PlanFulfillment.forecast(factMinor: dealer.paymentsMinor, period: period, today: today) ?? dealer.paymentsMinor
            return projected
        }
    }
}
