import Foundation

/// RFC 3339 instants as dealerd writes them: UTC, milliseconds, `Z`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        // Rounded to the nearest millisecond by hand: a Date is a binary fraction, and the formatter's
        // own truncation would print 0.123 s as 0.122.
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds.remainder < 0 ? seconds.quotient - 1 : seconds.quotient
        let fraction = seconds.remainder < 0 ? seconds.remainder + 1000 : seconds.remainder
        let base = Date(timeIntervalSince1970: TimeInterval(whole))
            .formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return base.dropLast() + "." + String(format: "%03d", Int(fraction)) + "Z"
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
