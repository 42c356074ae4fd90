import Foundation

/// Hours of the company's day when messages wait until morning (unless a rule is urgent):
/// `21:00-08:00` wraps midnight, `13:00-14:00` does not.
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight.
    public var from: Int
    public var to: Int

    public init?(from: Int, to: Int) {
        guard (0..<1440).contains(from), (0..<1440).contains(to), from != to else { return nil }
        self.from = from
        self.to = to
    }

    /// `HH:MM-HH:MM`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let from = Self.minutes(parts[0]), let to = Self.minutes(parts[1]) else { return nil }
        self.init(from: from, to: to)
    }

    public var description: String { Self.clock(from) + "-" + Self.clock(to) }

    /// When a message due at `instant` may go: the instant itself outside the quiet hours, else the
    /// end of them in `timeZone` (on a daylight-saving jump, the first minute that exists after it).
    public func release(of instant: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let quiet = from < to ? (from..<to).contains(minute) : (minute >= from || minute < to)
        guard quiet else { return instant }
        let startOfDay = calendar.startOfDay(for: instant)
        // The end is today unless the window wraps and we are before midnight.
        let day = (from > to && minute >= from) ? calendar.date(byAdding: .day, value: 1, to: startOfDay) ?? startOfDay : startOfDay
        let wanted = DateComponents(hour: to / 60, minute: to % 60)
        return calendar.nextDate(after: day.addingTimeInterval(-1), matching: wanted, matchingPolicy: .nextTime) ?? instant
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String { (minutes / 60).zeroPadded(2) + ":" + (minutes % 60).zeroPadded(2) }
}
