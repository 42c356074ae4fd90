import Foundation

/// How one sales role is paid its bonus: a versioned file in `Config/kpi/` (one per role) with the
/// KPIs, their weights, default targets and scoring curves, and the bonus rule.
public struct KPIScheme: Sendable, Equatable, Decodable {
    public var role: SalesRole
    public var version: String
    public var title: String
    public var bonus: BonusRule
    public var kpis: [Weighted]

    public init(role: SalesRole, version: String, title: String, bonus: BonusRule, kpis: [Weighted]) {
        self.role = role
        self.version = version
        self.title = title
        self.bonus = bonus
        self.kpis = kpis
    }

    /// One KPI in the scheme. Its achievement is fact ÷ target (target ÷ fact when lower is better),
    /// in percent; under `threshold` it scores 0, above `cap` it counts as `cap`.
    public struct Weighted: Sendable, Equatable, Decodable {
        public var kpi: KPI
        /// Share of the total, in points; the weights of a scheme add up to 100.
        public var weight: Decimal
        /// The default target, in the KPI's unit (roubles, percent, count); a manager's own target for
        /// the period replaces it.
        public var target: Decimal
        public var threshold: Decimal?
        public var cap: Decimal?

        public init(kpi: KPI, weight: Decimal, target: Decimal, threshold: Decimal?, cap: Decimal?) {
            self.kpi = kpi
            self.weight = weight
            self.target = target
            self.threshold = threshold
            self.cap = cap
        }

        public var thresholdPercent: Decimal { threshold ?? 0 }
        public var capPercent: Decimal { cap ?? 100 }
    }

    /// The bonus at 100 points is `base` roubles; it scales with the points. While the knock-out KPI
    /// misses its bound, there is no bonus at all.
    public struct BonusRule: Sendable, Equatable, Decodable {
        public var base: Decimal
        public var knockOut: KnockOut?

        public init(base: Decimal, knockOut: KnockOut?) {
            self.base = base
            self.knockOut = knockOut
        }
    }

    /// A gate on one KPI's fact: at least `minimum`, or at most `maximum` (for "lower is better").
    public struct KnockOut: Sendable, Equatable, Decodable {
        public var kpi: KPI
        public var minimum: Decimal?
        public var maximum: Decimal?

        public init(kpi: KPI, minimum: Decimal?, maximum: Decimal?) {
            self.kpi = kpi
            self.minimum = minimum
            self.maximum = maximum
        }

        public func holds(_ fact: Decimal?) -> Bool {
            guard let fact else { return false }
            if let minimum, fact < minimum { return false }
            if let maximum, fact > maximum { return false }
            return true
        }
    }

    /// Everything wrong with the scheme, each naming the KPI it is in; empty when it can be used.
    public var problems: [String] {
        var problems: [String] = []
        if version.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("version is required") }
        if kpis.isEmpty { problems.append("kpis: a scheme needs at least one KPI") }
        let total = kpis.reduce(Decimal(0)) { $0 + $1.weight }
        if !kpis.isEmpty && total != 100 { problems.append("kpis: the weights add up to \(total), not 100") }
        var seen: Set<KPI> = []
        for (index, line) in kpis.enumerated() {
            let place = "kpis[\(index)] (\(line.kpi.rawValue))"
            if !seen.insert(line.kpi).inserted { problems.append("\(place): listed twice") }
            if line.weight <= 0 { problems.append("\(place): weight must be above 0") }
            if line.target <= 0 { problems.append("\(place): target must be above 0") }
            if line.thresholdPercent < 0 || line.thresholdPercent >= line.capPercent {
                problems.append("\(place): threshold must be 0 or more and under cap")
            }
            if line.capPercent < 100 || line.capPercent > 300 { problems.append("\(place): cap must be 100…300 (%)") }
            if line.kpi.unit == .money, Percent.rounded(line.target, places: 2) != line.target {
                problems.append("\(place): a target in roubles has at most two decimals")
            }
        }
        if bonus.base < 0 || Percent.rounded(bonus.base, places: 2) != bonus.base || bonus.base > 100_000_000 {
            problems.append("bonus.base must be roubles from 0 to 100000000 with at most two decimals")
        }
        if let knockOut = bonus.knockOut, knockOut.minimum == nil, knockOut.maximum == nil {
            problems.append("bonus.knock_out (\(knockOut.kpi.rawValue)): give a minimum or a maximum")
        }
        return problems
    }
}
