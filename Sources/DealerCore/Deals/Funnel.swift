import Foundation

/// The sales funnel of a set of deals (a manager's, or the department's) for a period.
///
/// - In work: deals open at the period's end (today while it runs), by the stage they are at now.
/// - Reached and conversion: of the deals opened in the period, how many got to each stage (a deal
///   at a stage has passed those before it; a won deal passed them all), and the share of those at
///   one stage that got to the next, the last stage's next being the win.
/// - Won, lost, win rate, average deal and days to close: deals closed in the period. The win rate
///   is won ÷ (won + lost); the average deal is the won amount ÷ won deals; days to close is the
///   median from opening to the win.
public struct Funnel: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var key: String
        public var title: String
        /// Deals in work at this stage at the period's end, and what they are worth.
        public var inWork: Int
        public var inWorkMinor: Int64
        /// Deals opened in the period that got to this stage.
        public var reached: Int
        /// Of those, the share that got to the next stage (the last one: that were won), in %.
        public var conversionPercent: Decimal?
    }

    public var period: PlanPeriod
    /// The last day counted: the period's end, or today while it runs.
    public var end: CivilDate
    public var stages: [Stage]
    public var opened: Int
    public var inWork: Int
    public var inWorkMinor: Int64
    public var won: Int
    public var wonMinor: Int64
    public var lost: Int
    public var lostMinor: Int64
    public var winRatePercent: Decimal?
    /// The won amount ÷ won deals, half up to the kopeck.
    public var averageDealMinor: Int64?
    /// The median of days from opening to the win, to one decimal.
    public var medianDaysToClose: Decimal?
    /// Why deals were lost, most frequent first.
    public var lostReasons: [(reason: String, deals: Int)]

    public static func == (lhs: Funnel, rhs: Funnel) -> Bool {
        lhs.period == rhs.period && lhs.end == rhs.end && lhs.stages == rhs.stages && lhs.opened == rhs.opened
            && lhs.inWork == rhs.inWork && lhs.inWorkMinor == rhs.inWorkMinor && lhs.won == rhs.won && lhs.wonMinor == rhs.wonMinor
            && lhs.lost == rhs.lost && lhs.lostMinor == rhs.lostMinor && lhs.winRatePercent == rhs.winRatePercent
            && lhs.averageDealMinor == rhs.averageDealMinor && lhs.medianDaysToClose == rhs.medianDaysToClose
            && lhs.lostReasons.map(\.reason) == rhs.lostReasons.map(\.reason) && lhs.lostReasons.map(\.deals) == rhs.lostReasons.map(\.deals)
    }

    public static func compute(_ deals: [Deal], period: PlanPeriod, today: CivilDate, settings: DealSettings) -> Funnel {
        let first = period.firstDay
        let end = min(period.lastDay, today)
        // Stages the config no longer has keep their deals visible, after the configured ones.
        var keys = settings.stages.map(\.key)
        for deal in deals where !keys.contains(deal.stage) { keys.append(deal.stage) }
        let rank = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let configured = settings.stages.count

        let working = deals.filter { $0.inWork(on: end) }
        let cohort = deals.filter { $0.openedOn >= first && $0.openedOn <= end }
        let closed = deals.filter { deal in deal.closedOn.map { $0 >= first && $0 <= end } ?? false }
        let won = closed.filter { $0.status == .won }
        let lost = closed.filter { $0.status == .lost }

        // How far each deal of the cohort got: a won deal past every configured stage; a deal at a
        // stage the config dropped only as far as the first.
        func depth(_ deal: Deal) -> Int {
            if deal.status == .won { return configured }
            let index = rank[deal.stage] ?? 0
            return index < configured ? index : 0
        }
        let depths = cohort.map(depth)
        let cohortWon = cohort.filter { $0.status == .won }.count
        var stages: [Stage] = []
        for (index, key) in keys.enumerated() {
            let here = working.filter { $0.stage == key }
            let reached = index < configured ? depths.filter { $0 >= index }.count : 0
            let next = index + 1 < configured ? depths.filter { $0 >= index + 1 }.count : cohortWon
            stages.append(
                Stage(
                    key: key, title: settings.title(of: key), inWork: here.count, inWorkMinor: sum(here),
                    reached: reached, conversionPercent: index < configured ? Percent.of(next, reached) : nil))
        }
        var reasons: [String: Int] = [:]
        for deal in lost { reasons[deal.reason ?? "—", default: 0] += 1 }
        let wonMinor = sum(won)
        return Funnel(
            period: period, end: end, stages: stages, opened: cohort.count, inWork: working.count, inWorkMinor: sum(working),
            won: won.count, wonMinor: wonMinor, lost: lost.count, lostMinor: sum(lost),
            winRatePercent: Percent.of(won.count, won.count + lost.count),
            averageDealMinor: won.isEmpty ? nil : roundedQuotient(Int128(wonMinor), Int128(won.count)),
            medianDaysToClose: median(won.compactMap(\.daysToClose)),
            lostReasons: reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) })
    }

    static func sum(_ deals: [Deal]) -> Int64 { deals.reduce(Int64(0)) { $0.saturating(adding: $1.amount.minorUnits) } }

    /// `a ÷ b` half up to a whole unit, for positive `b`.
    static func roundedQuotient(_ a: Int128, _ b: Int128) -> Int64 {
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        let rounded = remainder * 2 >= b ? quotient + 1 : quotient
        return Int64(clamping: rounded)
    }

    /// The middle value, or the mean of the two middle ones, to one decimal; nil for none.
    static func median(_ values: [Int]) -> Decimal? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Decimal(sorted[middle]) }
        return Decimal(sorted[middle - 1] + sorted[middle]) / 2
    }
}
