import Foundation

/// RFC 3339 instants as dealerd writes them: UTC, milliseconds, `Z`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        // Rounded to the nearest millisecond by hand: a Date is a binary fraction, and a formatter's
        // own truncation would print 0.123 s as 0.122. Built by hand too: it is on every row's path.
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let perDay: Int64 = 86_400_000
        let days = millis >= 0 ? millis / perDay : -((-millis + perDay - 1) / perDay)
        let ofDay = millis - days * perDay
        let time = ofDay.quotientAndRemainder(dividingBy: 1000)
        let hms = time.quotient
        return CivilDate(daysSinceEpoch: days).iso + "T" + (hms / 3600).zeroPadded(2) + ":" + (hms / 60 % 60).zeroPadded(2) + ":"
            + (hms % 60).zeroPadded(2) + "." + time.remainder.zeroPadded(3) + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
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
