import Foundation

/// A scorecard as people read it and as a closed period keeps it: the manager, the scheme version,
/// per KPI the target (and whose), fact, achievement, score and points, the total and the bonus.
/// Amounts are decimal text in roubles. Served by the API and frozen by `kpi-close` alike.
public struct ScorecardSnapshot: Codable, Sendable, Equatable {
    public struct ManagerRef: Codable, Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var email: String
        public var role: SalesRole
    }

    public struct SchemeRef: Codable, Sendable, Equatable {
        public var role: SalesRole
        public var version: String
        public var title: String
    }

    public struct Line: Codable, Sendable, Equatable {
        public var kpi: KPI
        public var title: String
        public var unit: KPI.Unit
        public var weight: Decimal
        public var target: Decimal
        public var targetSource: String
        public var fact: Decimal?
        public var count: Int?
        public var of: Int?
        /// For a KPI pushed from outside: where its fact came from (nil in cards frozen before there were any).
        public var source: String?
        public var achievementPercent: Decimal?
        public var scorePercent: Decimal
        public var points: Decimal
        public var threshold: Decimal
        public var cap: Decimal
        public var lowerIsBetter: Bool
    }

    public struct Forecast: Codable, Sendable, Equatable {
        public var points: Decimal
        public var knockedOut: Bool
        public var bonus: String
    }

    public struct Lift: Codable, Sendable, Equatable {
        public var kpi: KPI
        public var to: Decimal?
        public var moreDealers: Int?
        public var gain: String
        public var text: String
    }

    public var rank: Int?
    public var manager: ManagerRef
    public var period: String
    public var running: Bool
    public var scheme: SchemeRef
    public var currency: String
    public var dealers: Int
    public var kpis: [Line]
    public var points: Decimal
    public var knockedOut: Bool
    public var bonusBase: String
    public var bonus: String
    public var forecast: Forecast?
    public var lifts: [Lift]

    public init(_ card: ManagerScorecard, rank: Int?) {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: .rub).decimalString }
        let scheme = card.scorecard.scheme
        self.rank = rank
        manager = ManagerRef(id: card.manager.id, name: card.manager.name, email: card.manager.email, role: card.manager.role)
        period = card.period.description
        running = card.running
        self.scheme = SchemeRef(role: scheme.role, version: scheme.version, title: scheme.title)
        currency = Currency.rub.code
        dealers = card.dealers
        kpis = zip(card.scorecard.lines, scheme.kpis).map { line, weighted in
            Line(
                kpi: line.kpi, title: line.kpi.title, unit: line.kpi.unit, weight: line.weight, target: line.target,
                targetSource: line.targetIsOwn ? "own" : "scheme", fact: line.fact.value, count: line.fact.count, of: line.fact.of,
                source: line.fact.source, achievementPercent: line.achievementPercent, scorePercent: line.scorePercent, points: line.points,
                threshold: weighted.thresholdPercent, cap: weighted.capPercent, lowerIsBetter: line.kpi.lowerIsBetter)
        }
        points = card.scorecard.points
        knockedOut = card.scorecard.knockedOut
        bonusBase = money(KPIFacts.minor(scheme.bonus.base) ?? 0)
        bonus = money(card.scorecard.bonusMinor)
        forecast = card.forecast.map { Forecast(points: $0.points, knockedOut: $0.knockedOut, bonus: money($0.bonusMinor)) }
        lifts = card.lifts.map {
            Lift(kpi: $0.kpi, to: $0.to, moreDealers: $0.moreDealers, gain: money($0.gainMinor), text: ScorecardText.lift($0))
        }
    }
}
