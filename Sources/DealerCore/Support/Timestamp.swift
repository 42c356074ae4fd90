import Foundation

/// RFC 3339 instants as dealerd writes them: UTC, milliseconds, `Z`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    /// An instant cut to whole milliseconds: what both databases and JSON keep exactly, so a value read
    /// back equals the value written.
    public static func truncated(_ date: Date) -> Date {
        let millis = (date.timeIntervalSince1970 * 1000).rounded(.down)
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
