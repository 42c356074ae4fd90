import Foundation

/// A calendar date in the proleptic Gregorian calendar, by plain arithmetic (Howard Hinnant's
/// days-from-civil): business dates (document, due, period) and the days schedule search walks.
public struct CivilDate: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        daysSinceEpoch = days
    }

    var next: CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + 1) }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    var weekday: Int { Int(((daysSinceEpoch % 7) + 11) % 7) }

    var daysInMonth: Int { Self.days(inMonth: month, year: year) }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The longest a month can be (February: 29).
    static func maxDays(inMonth month: Int) -> Int {
        month == 2 ? 29 : days(inMonth: month, year: 2001)
    }
}

extension CivilDate {
    /// The company's zone when config names none: Moscow (UTC+3, no daylight saving since 2014), and
    /// a fixed UTC+3 should the system's zone database lack it.
    public static let defaultCompanyTimeZone: TimeZone = TimeZone(identifier: "Europe/Moscow") ?? TimeZone(secondsFromGMT: 3 * 3600) ?? .gmt

    /// The years a business date from outside may fall in: a document, a period, an `as_of`, a plan.
    /// Input outside them is refused where it enters (a 422 naming the field), so every date computed
    /// from one (a due date, a period's end, a cron catch-up) stays far inside what dealerd reads back.
    public static let supportedYears: ClosedRange<Int> = 1900...2199

    /// The years a stored date may be read in: derived dates (a due date after a long payment term)
    /// may pass the input range by a few years, and a row written by something else may be odd.
    public static let readableYears: ClosedRange<Int> = 1...9999

    /// A valid date of a readable year, or nil (31 April, 29 February of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard Self.readableYears.contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day)
        else {
            return nil
        }
        self.init(daysSinceEpoch: Self.daysSinceEpoch(year: year, month: month, day: day))
    }

    /// Days from 1970-01-01 to a date already known to be valid (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether the date falls in the years accepted from outside.
    public var isSupported: Bool { Self.supportedYears.contains(year) }

    /// A business date from outside: `2026-11-25` (ISO 8601) or `25.11.2026` (as 1C and Russian Excel
    /// write dates), in the supported years; nil for anything else.
    public init?(parsing raw: String) {
        guard let date = CivilDate(reading: raw), date.isSupported else { return nil }
        self = date
    }

    /// A stored date, in any readable year (a due date computed past the input range reads back).
    public init?(stored raw: String) {
        self.init(reading: raw)
    }

    private init?(reading raw: String) {
        // The common case, `2026-11-25` as stored and as the ERP sends it, read from the bytes.
        let bytes = raw.utf8
        if bytes.count == 10 {
            var digits: [Int] = []
            digits.reserveCapacity(8)
            var layoutMatches = true
            for (offset, byte) in bytes.enumerated() {
                if offset == 4 || offset == 7 {
                    if byte != UInt8(ascii: "-") { layoutMatches = false }
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    digits.append(Int(byte - UInt8(ascii: "0")))
                } else {
                    layoutMatches = false
                }
            }
            if layoutMatches {
                self.init(
                    year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], month: digits[4] * 10 + digits[5],
                    day: digits[6] * 10 + digits[7])
                return
            }
        }
        let text = raw.trimmingCharacters(in: .whitespaces)
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        let dotted = text.split(separator: ".", omittingEmptySubsequences: false)
        let parts: [Substring]
        if iso.count == 3, iso[0].count == 4 {
            parts = [iso[0], iso[1], iso[2]]
        } else if dotted.count == 3, dotted[2].count == 4 {
            parts = [dotted[2], dotted[1], dotted[0]]
        } else {
            return nil
        }
        guard parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The date an instant falls on in a time zone. Instants past the readable years (which dealerd
    /// never accepts, see `Timestamp.parse`) are held at their ends rather than trapping.
    public init(_ instant: Date, in zone: TimeZone) {
        let local = Timestamp.wholeSeconds(instant) + Int64(zone.secondsFromGMT(for: instant))
        self.init(daysSinceEpoch: floorDivide(local, 86400))
    }

    /// `2026-11-25`: JSON and storage (text that sorts as dates do). Built by hand: this is on every ledger row's path, and `String(format:)` is slow.
    public var iso: String {
        year.zeroPadded(4) + "-" + month.zeroPadded(2) + "-" + day.zeroPadded(2)
    }

    /// The date `days` later (earlier when negative). Callers add bounded counts (payment terms,
    /// periods), so the sum stays in range; an absurd count is held at the end of the readable years.
    public func adding(days: Int) -> CivilDate {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(Int64(days))
        let bounds = Self.readableDays
        let held = overflow ? (days < 0 ? bounds.lowerBound : bounds.upperBound) : Swift.min(Swift.max(sum, bounds.lowerBound), bounds.upperBound)
        return CivilDate(daysSinceEpoch: held)
    }

    /// The days since the epoch of the first and last readable dates.
    static let readableDays: ClosedRange<Int64> =
        daysSinceEpoch(year: readableYears.lowerBound, month: 1, day: 1)...daysSinceEpoch(year: readableYears.upperBound, month: 12, day: 31)

    /// The instant this day begins in a time zone (its local midnight).
    public func start(in zone: TimeZone) -> Date {
        let local = TimeInterval(daysSinceEpoch * 86400)
        // The offset at the instant itself: guess with the offset at local midnight read as UTC, then correct.
        let guess = local - TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        return Date(timeIntervalSince1970: local - TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
    }

    /// The same day `months` later (or earlier), the month's last day when it is shorter: 31 January
    /// and one month is 28 or 29 February.
    /// Held at the ends of the readable years, like `adding(days:)`.
    public func adding(months: Int) -> CivilDate {
        let lowest = Self.readableYears.lowerBound * 12
        let highest = Self.readableYears.upperBound * 12 + 11
        let (shifted, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(months)
        let index = overflow ? (months < 0 ? lowest : highest) : Swift.min(Swift.max(shifted, lowest), highest)
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        let newDay = Swift.min(day, Self.days(inMonth: newMonth, year: newYear))
        return CivilDate(daysSinceEpoch: Self.daysSinceEpoch(year: newYear, month: newMonth, day: newDay))
    }

    public func days(since other: CivilDate) -> Int { Int(daysSinceEpoch - other.daysSinceEpoch) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
