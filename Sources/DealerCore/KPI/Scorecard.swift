import Foundation

/// A manager's scorecard for a period under a scheme: per KPI the target, the fact, the achievement,
/// the score on the curve and the points; the total, and the bonus earned.
public struct Scorecard: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var kpi: KPI
        public var weight: Decimal
        public var target: Decimal
        /// Where the target comes from: the manager's own for the period, or the scheme's default.
        public var targetIsOwn: Bool
        public var fact: KPIFact
        /// Fact against target in percent, to one decimal (nil without a fact).
        public var achievementPercent: Decimal?
        /// The achievement on the curve: 0 under the threshold, at most the cap.
        public var scorePercent: Decimal
        /// Score × weight ÷ 100, to two decimals.
        public var points: Decimal
    }

    public var scheme: KPIScheme
    public var lines: [Line]
    public var points: Decimal
    /// The knock-out KPI missed its bound: no bonus whatever the points.
    public var knockedOut: Bool
    public var bonusMinor: Int64

    /// The scorecard from the facts; `targets` are the manager's own for the period.
    public static func compute(scheme: KPIScheme, facts: [KPI: KPIFact], targets: [KPI: Decimal] = [:]) -> Scorecard {
        let lines = scheme.kpis.map { weighted -> Line in
            let target = targets[weighted.kpi] ?? weighted.target
            let fact = facts[weighted.kpi] ?? KPIFact(nil)
            let achievement = achievement(fact: fact.value, target: target, lowerIsBetter: weighted.kpi.lowerIsBetter, cap: weighted.capPercent)
            let score = achievement.map { $0 < weighted.thresholdPercent ? 0 : min($0, weighted.capPercent) } ?? 0
            return Line(
                kpi: weighted.kpi, weight: weighted.weight, target: target, targetIsOwn: targets[weighted.kpi] != nil, fact: fact,
                achievementPercent: achievement, scorePercent: score, points: Percent.rounded(score * weighted.weight / 100, places: 2))
        }
        let points = lines.reduce(Decimal(0)) { $0 + $1.points }
        let knockedOut = scheme.bonus.knockOut.map { !$0.holds(facts[$0.kpi]?.value) } ?? false
        let bonus = knockedOut ? 0 : Percent.rounded(scheme.bonus.base * points, places: 0)
        // base is roubles, points are percent: base × points ÷ 100 roubles = base × points kopecks.
        return Scorecard(
            scheme: scheme, lines: lines, points: points, knockedOut: knockedOut, bonusMinor: Int64(bonus.description) ?? 0)
    }

    /// Fact ÷ target in percent (target ÷ fact when lower is better; a fact of 0 there reaches the cap).
    static func achievement(fact: Decimal?, target: Decimal, lowerIsBetter: Bool, cap: Decimal) -> Decimal? {
        guard let fact, target > 0 else { return nil }
        if lowerIsBetter { return fact <= 0 ? cap : Percent.of(target, fact) }
        return Percent.of(fact, target)
    }

    /// What would lift the bonus most: for each KPI short of its target, the bonus if it reached it,
    /// best first; for a share of dealers, how many more dealers that takes. While a knock-out holds
    /// the bonus back, reaching its bound is a lift of its own.
    public func lifts(facts: [KPI: KPIFact], targets: [KPI: Decimal] = [:]) -> [Lift] {
        let knockOut = knockedOut ? scheme.bonus.knockOut : nil
        var candidates: [(kpi: KPI, goal: Decimal)] = lines.filter { ($0.achievementPercent ?? 0) < 100 }.map { ($0.kpi, $0.target) }
        if let knockOut, let bound = knockOut.minimum ?? knockOut.maximum, !candidates.contains(where: { $0.kpi == knockOut.kpi }) {
            candidates.append((knockOut.kpi, bound))
        }
        var lifts: [Lift] = []
        for candidate in candidates {
            var (reached, dealers) = Self.reach(facts[candidate.kpi] ?? KPIFact(nil), goal: candidate.goal)
            if let knockOut, knockOut.kpi == candidate.kpi, !knockOut.holds(reached.value), let bound = knockOut.minimum ?? knockOut.maximum {
                (reached, dealers) = Self.reach(reached, goal: bound)
            }
            var lifted = facts
            lifted[candidate.kpi] = reached
            let gain = Scorecard.compute(scheme: scheme, facts: lifted, targets: targets).bonusMinor - bonusMinor
            if gain > 0 { lifts.append(Lift(kpi: candidate.kpi, to: reached.value, moreDealers: dealers, gainMinor: gain)) }
        }
        return lifts.sorted { $0.gainMinor > $1.gainMinor }
    }

    /// The fact at `goal`; for a share of dealers, the fewest dealers whose share reaches it, and how
    /// many more that is.
    static func reach(_ fact: KPIFact, goal: Decimal) -> (KPIFact, Int?) {
        guard let count = fact.count, let of = fact.of, of > 0 else { return (KPIFact(goal), nil) }
        var needed = goal * Decimal(of) / 100
        var ceiling = Decimal()
        NSDecimalRound(&ceiling, &needed, 0, .up)
        let dealers = min(of, Int(ceiling.description) ?? of)
        return (KPIFact(Percent.of(dealers, of), count: dealers, of: of), max(0, dealers - count))
    }

    public struct Lift: Sendable, Equatable {
        public var kpi: KPI
        /// The fact that would earn it.
        public var to: Decimal?
        /// For a share of dealers: how many more dealers.
        public var moreDealers: Int?
        public var gainMinor: Int64

        public init(kpi: KPI, to: Decimal?, moreDealers: Int?, gainMinor: Int64) {
            self.kpi = kpi
            self.to = to
            self.moreDealers = moreDealers
            self.gainMinor = gainMinor
        }
    }
}
