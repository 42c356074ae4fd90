import Foundation

/// RFC 3339 instants as dealerd writes them: UTC, milliseconds, `Z`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        // Rounded to the nearest millisecond by hand: a Date is a binary fraction, and a formatter's
        // own truncation would print 0.123 s as 0.122. Built by hand too: it is on every row's path.
        let millis = wholeMilliseconds(date)
        let perDay: Int64 = 86_400_000
        let days = millis >= 0 ? millis / perDay : -((-millis + perDay - 1) / perDay)
        let ofDay = millis - days * perDay
        let time = ofDay.quotientAndRemainder(dividingBy: 1000)
        let hms = time.quotient
        return CivilDate(daysSinceEpoch: days).iso + "T" + (hms / 3600).zeroPadded(2) + ":" + (hms / 60 % 60).zeroPadded(2) + ":"
            + (hms % 60).zeroPadded(2) + "." + time.remainder.zeroPadded(3) + "Z"
    }

    /// An instant from outside (`as_of`, `since`): RFC 3339, on a day of the supported years
    /// (`CivilDate.supportedYears`); nil for anything else, so no later arithmetic meets year 10000.
    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        let parsed =
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
        guard let parsed, supportedInstants.contains(parsed.timeIntervalSince1970) else { return nil }
        return parsed
    }

    /// Seconds since the epoch of the first and the last instant of the supported years (UTC).
    public static let supportedInstants: ClosedRange<TimeInterval> = {
        let first = CivilDate(daysSinceEpoch: 0).adding(months: (CivilDate.supportedYears.lowerBound - 1970) * 12)
        let afterLast = CivilDate(daysSinceEpoch: 0).adding(months: (CivilDate.supportedYears.upperBound + 1 - 1970) * 12)
        return TimeInterval(first.daysSinceEpoch * 86400)...TimeInterval(afterLast.daysSinceEpoch * 86400 - 1)
    }()

    /// Whole seconds since the epoch, rounded down; an instant no Int64 holds (never one dealerd
    /// accepts) is held at the nearest end instead of trapping.
    public static func wholeSeconds(_ date: Date) -> Int64 {
        clampedInt64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Milliseconds since the epoch, rounded to the nearest; held at the ends like `wholeSeconds`.
    public static func wholeMilliseconds(_ date: Date) -> Int64 {
        clampedInt64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A floating-point count as Int64 without trapping: NaN is 0, anything past the ends is held there.
    public static func clampedInt64(_ value: Double) -> Int64 {
        guard !value.isNaN else { return 0 }
        // 2^63 is the first Double past Int64.max; everything below it converts exactly.
        if value >= 9_223_372_036_854_775_808.0 { return .max }
        if value < -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value)
    }

    /// An instant rounded to whole milliseconds: what both databases and JSON keep exactly, so a value read
    /// back equals the value written.
    public static func truncated(_ date: Date) -> Date {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        return Date(timeIntervalSince1970: millis / 1000)
    }
}

/// Where "now" comes from; injected so tests can fix the time.
public protocol NowProvider: Sendable {
    func now() -> Date
}

/// The machine's clock, to the millisecond.
public struct SystemNow: NowProvider {
    public init() {}
    public func now() -> Date { Timestamp.truncated(Date()) }
}
