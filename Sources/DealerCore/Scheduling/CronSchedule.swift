import Foundation

/// A cron schedule: `minute hour day-of-month month day-of-week`, or one of the `@` shorthands, read
/// in an IANA time zone.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` `a-b/n` `a/n`, lists `a,b`, month and weekday
/// names (`JAN`, `MON`), `L` (last day of the month) in the day-of-month field, and 0 or 7 for Sunday.
/// When both day fields are restricted a day matches either (the classic cron rule).
///
/// Daylight-saving time, deliberately:
/// - a wall time that does not exist (spring forward) fires once, at the first instant after the gap;
/// - a wall time that happens twice (fall back) fires once, at its first occurrence;
/// - schedules whose hour field is `*` or `*/n` follow absolute time: they fire at every real
///   instant whose local minute matches, so an hourly job runs in both copies of a repeated hour and
///   skips the hour that does not exist.
///
/// A sixth, leading seconds field is accepted only when `allowSeconds` is set (test mode).
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    let seconds: [Int]
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let lastDayOfMonth: Bool
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool
    /// Hour field `*` or `*/n`: the schedule follows absolute time across DST changes.
    let followsAbsoluteTime: Bool

    public var description: String { expression }

    static let shorthands: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@quarterly": "0 0 1 1,4,7,10 *",
        "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    public init(parsing text: String, allowSeconds: Bool = false) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded: String
        if trimmed.hasPrefix("@") {
            guard let macro = Self.shorthands[trimmed.lowercased()] else {
                throw CronError(
                    field: nil, message: "unknown shorthand \(trimmed); use one of \(Self.shorthands.keys.sorted().joined(separator: " "))")
            }
            expanded = macro
        } else {
            expanded = trimmed
        }
        var parts = expanded.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count == 6 && !allowSeconds {
            throw CronError(
                field: nil, message: "6 fields (with seconds) are allowed in test mode only; use minute hour day-of-month month day-of-week")
        }
        guard parts.count == 5 || parts.count == 6 else {
            throw CronError(field: nil, message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(parts.count)")
        }
        if parts.count == 5 { parts.insert("0", at: 0) }
        let second = try CronField.parse(parts[0], .second)
        let minute = try CronField.parse(parts[1], .minute)
        let hour = try CronField.parse(parts[2], .hour)
        let dayOfMonth = try CronField.parse(parts[3], .dayOfMonth)
        let month = try CronField.parse(parts[4], .month)
        let dayOfWeek = try CronField.parse(parts[5], .dayOfWeek)
        expression = trimmed
        seconds = second.values.sorted()
        minutes = minute.values.sorted()
        hours = hour.values.sorted()
        daysOfMonth = dayOfMonth.values
        lastDayOfMonth = dayOfMonth.includesLast
        months = month.values
        daysOfWeek = Set(dayOfWeek.values.map { $0 % 7 })
        dayOfMonthRestricted = !dayOfMonth.isWildcard
        dayOfWeekRestricted = !dayOfWeek.isWildcard
        followsAbsoluteTime = hour.isWildcard || parts[2].hasPrefix("*/")
        if !dayOfWeekRestricted, !lastDayOfMonth, let smallestMonthLength = months.map({ CivilDate.maxDays(inMonth: $0) }).max(),
            let first = daysOfMonth.min(), first > smallestMonthLength
        {
            throw CronError(field: .dayOfMonth, message: "day \(first) never occurs in the months chosen, so this schedule never fires")
        }
    }

    /// The first instant strictly after `after` at which the schedule fires, or nil if it never does
    /// within eight years (which the parser already rules out for well-formed schedules).
    public func nextFire(after: Date, in zone: TimeZone) -> Date? {
        let afterSeconds = Timestamp.wholeSeconds(after)
        // Start a little before the local time of `after`: in a repeated hour the wall clock runs
        // backwards, and candidates at or before `after` are dropped below anyway.
        let localStart = afterSeconds + Int64(zone.secondsFromGMT(for: after)) - 3 * 3600
        var day = CivilDate(daysSinceEpoch: floorDivide(localStart, 86400))
        let startSecondOfDay = Int(localStart - day.daysSinceEpoch * 86400)
        var best: Int64?
        // The latest wall time that could still map to an instant before `best`: later wall times
        // only map later, except across an offset change, which the zone's nearby offsets bound.
        var bound = Int64.max
        var firstDay = true
        for _ in 0..<(366 * 8) {
            if matches(day) {
                for hour in hours {
                    for minute in minutes {
                        for second in seconds {
                            let secondOfDay = hour * 3600 + minute * 60 + second
                            if firstDay && secondOfDay < startSecondOfDay { continue }
                            let wall = day.daysSinceEpoch * 86400 + Int64(secondOfDay)
                            if wall > bound, let best { return Date(seconds: best) }
                            for instant in instants(forWall: wall, in: zone) where instant > afterSeconds {
                                if best.map({ instant < $0 }) ?? true {
                                    best = instant
                                    bound = instant + Int64(Self.largestOffset(near: instant, in: zone))
                                }
                            }
                        }
                    }
                }
            }
            if (day.daysSinceEpoch + 1) * 86400 > bound, let best { return Date(seconds: best) }
            day = day.next
            firstDay = false
        }
        return best.map { Date(seconds: $0) }
    }

    /// Every fire instant in `(after, through]`, at most `limit` of them (the earliest).
    public func fires(after: Date, through end: Date, in zone: TimeZone, limit: Int) -> [Date] {
        var result: [Date] = []
        var cursor = after
        while result.count < limit, let next = nextFire(after: cursor, in: zone), next <= end {
            result.append(next)
            cursor = next
        }
        return result
    }

    func matches(_ day: CivilDate) -> Bool {
        guard months.contains(day.month) else { return false }
        let domMatch = daysOfMonth.contains(day.day) || (lastDayOfMonth && day.day == day.daysInMonth)
        let dowMatch = daysOfWeek.contains(day.weekday)
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }

    /// The instants at which a wall time (seconds since the epoch as if UTC) happens in the zone.
    func instants(forWall wall: Int64, in zone: TimeZone) -> [Int64] {
        let offsets = Set([
            zone.secondsFromGMT(for: Date(seconds: wall - 86400)), zone.secondsFromGMT(for: Date(seconds: wall)),
            zone.secondsFromGMT(for: Date(seconds: wall + 86400)),
        ])
        let valid = offsets.map { wall - Int64($0) }.filter { zone.secondsFromGMT(for: Date(seconds: $0)) == Int(wall - $0) }.sorted()
        if valid.isEmpty {
            // A gap: the wall time is skipped. Absolute-time schedules skip it too; wall-time ones
            // fire at the first instant after the gap.
            guard !followsAbsoluteTime, let before = offsets.max(), let after = offsets.min() else { return [] }
            return [Self.transition(between: wall - Int64(before), and: wall - Int64(after), in: zone)]
        }
        return followsAbsoluteTime ? valid : [valid[0]]
    }

    static func largestOffset(near instant: Int64, in zone: TimeZone) -> Int {
        max(
            zone.secondsFromGMT(for: Date(seconds: instant - 86400)), zone.secondsFromGMT(for: Date(seconds: instant + 86400)),
            zone.secondsFromGMT(for: Date(seconds: instant)))
    }

    /// The first instant in `(low, high]` whose offset differs from the offset at `low`.
    static func transition(between low: Int64, and high: Int64, in zone: TimeZone) -> Int64 {
        let startOffset = zone.secondsFromGMT(for: Date(seconds: low))
        var low = low
        var high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if zone.secondsFromGMT(for: Date(seconds: middle)) == startOffset { low = middle } else { high = middle }
        }
        return high
    }
}

extension Date {
    init(seconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(seconds))
    }
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}

func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
    value - floorDivide(value, divisor) * divisor
}
