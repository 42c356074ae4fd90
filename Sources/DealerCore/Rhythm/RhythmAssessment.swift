import Foundation

/// Where a dealer stands against its shipment rhythm on a day.
public struct RhythmAssessment: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Too little history to know its cadence: never reported late.
        case learning
        case onRhythm = "on_rhythm"
        case late
        case broken
    }

    /// Where the expected interval comes from.
    public enum Source: String, Sendable, Codable {
        case dealer, segment, learned
    }

    public var status: Status
    /// Days expected between shipments (nil while learning without a set interval).
    public var expectedInterval: Int?
    public var source: Source?
    /// 0…1: 1 is perfectly regular; nil with fewer than two intervals.
    public var regularity: Decimal?
    public var lastShipment: CivilDate?
    public var nextExpected: CivilDate?
    public var daysSinceLast: Int?
    /// Days past the expected interval (0 when not past it).
    public var daysLate: Int
    /// The latest intervals, oldest first.
    public var recentIntervals: [Int]
    /// Why the status is what it is, in words.
    public var explanation: String
}

/// The rhythm model: pure, fed the dates a dealer shipped on.
public enum RhythmModel {
    /// `shipments` are the dealer's shipment days (any order, repeats ignored). `setInterval` is the
    /// dealer's or its segment's expected interval, when one is set. `plannedMonthMissed` says the
    /// dealer had a plan for the last whole month and has shipped nothing since it began, which
    /// breaks the rhythm.
    public static func assess(
        shipments: [CivilDate], setInterval: (days: Int, source: RhythmAssessment.Source)?, today: CivilDate,
        settings: RhythmSettings, plannedMonthMissed: Bool = false
    ) -> RhythmAssessment {
        let days = Array(Set(shipments.filter { $0 <= today })).sorted()
        let allIntervals = zip(days.dropFirst(), days).map { $0.days(since: $1) }
        let recent = Array(allIntervals.suffix(settings.historyIntervals))
        let regularity = Self.regularity(recent)
        var assessment = RhythmAssessment(
            status: .learning, expectedInterval: nil, source: nil, regularity: regularity, lastShipment: days.last, nextExpected: nil,
            daysSinceLast: days.last.map { today.days(since: $0) }, daysLate: 0, recentIntervals: recent, explanation: "")
        let expected: (days: Int, source: RhythmAssessment.Source)
        if let setInterval {
            expected = setInterval
        } else if recent.count >= settings.minIntervals {
            expected = (robustCentre(recent), .learned)
        } else {
            assessment.explanation = "\(recent.count) of \(settings.minIntervals) intervals needed to learn the cadence"
            return assessment
        }
        assessment.expectedInterval = expected.days
        assessment.source = expected.source
        guard let last = days.last, let since = assessment.daysSinceLast else {
            assessment.explanation = "no shipment yet"
            return assessment
        }
        assessment.nextExpected = last.adding(days: expected.days)
        assessment.daysLate = max(0, since - expected.days)
        // Integer arithmetic: late past interval × (100 + tolerance) / 100, broken past interval × k.
        if since * 100 > expected.days * (100 + settings.lateTolerancePercent) {
            if since > expected.days * settings.brokenFactor {
                assessment.status = .broken
                assessment.explanation = "\(since) days since the last shipment, more than \(settings.brokenFactor) × \(expected.days)"
            } else {
                assessment.status = .late
                assessment.explanation =
                    "\(since) days since the last shipment, more than \(expected.days) + \(settings.lateTolerancePercent)%"
            }
        } else if plannedMonthMissed {
            assessment.status = .broken
            assessment.explanation = "no shipment in the last month, which had a plan"
        } else {
            assessment.status = .onRhythm
            assessment.explanation = "\(since) days since the last shipment, expected every \(expected.days)"
        }
        return assessment
    }

    /// The median of the intervals after dropping outliers — those further from the median than
    /// three scaled median absolute deviations (one long holiday gap does not stretch the cadence).
    static func robustCentre(_ intervals: [Int]) -> Int {
        let centre = median(intervals.map(Double.init))
        let deviation = median(intervals.map { abs(Double($0) - centre) }) * 1.4826
        let kept = deviation == 0 ? intervals.filter { Double($0) == centre } : intervals.filter { abs(Double($0) - centre) <= 3 * deviation }
        return max(1, Int(median((kept.isEmpty ? intervals : kept).map(Double.init)).rounded()))
    }

    /// 1 − the coefficient of variation of the intervals, within 0…1, to two decimals.
    static func regularity(_ intervals: [Int]) -> Decimal? {
        guard intervals.count >= 2 else { return nil }
        let mean = Double(intervals.reduce(0, +)) / Double(intervals.count)
        guard mean > 0 else { return nil }
        let variance = intervals.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(intervals.count)
        let score = max(0, min(1, 1 - variance.squareRoot() / mean))
        return Decimal((score * 100).rounded()) / 100
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
