import Foundation

/// How shipment rhythm is judged (`rhythm.*` in config). The defaults suit dealers that order every
/// one to four weeks: three intervals are enough to learn a cadence, a shipment half an interval
/// overdue is late, and three intervals without one is a broken rhythm.
public struct RhythmSettings: Sendable, Equatable {
    /// Intervals needed before a cadence is learned; until then a dealer is `learning`, never late.
    public var minIntervals: Int
    /// How many of the latest intervals the cadence is learned from.
    public var historyIntervals: Int
    /// Late once the days since the last shipment pass the expected interval × (1 + this / 100).
    public var lateTolerancePercent: Int
    /// Broken once they pass the expected interval × this.
    public var brokenFactor: Int
    /// Expected intervals set for whole segments (a dealer's own setting wins).
    public var segmentIntervals: [String: Int]

    public init(
        minIntervals: Int = 3, historyIntervals: Int = 12, lateTolerancePercent: Int = 50, brokenFactor: Int = 3,
        segmentIntervals: [String: Int] = [:]
    ) {
        self.minIntervals = minIntervals
        self.historyIntervals = historyIntervals
        self.lateTolerancePercent = lateTolerancePercent
        self.brokenFactor = brokenFactor
        self.segmentIntervals = segmentIntervals
    }
}

/// When the month's forecast counts as behind plan (`plans.*` in config).
public struct PlanBehindSettings: Sendable, Equatable {
    /// `plan.behind` when the run-rate forecast is under this share of the month's plan; nil: never.
    public var thresholdPercent: Int?
    /// Days of the month that must have passed before a forecast is trusted.
    public var minElapsedDays: Int

    public init(thresholdPercent: Int? = 80, minElapsedDays: Int = 7) {
        self.thresholdPercent = thresholdPercent
        self.minElapsedDays = minElapsedDays
    }
}
