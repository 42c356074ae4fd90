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
    /// A valid date, or nil (31 April, 29 February of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day) else {
            return nil
        }
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.init(daysSinceEpoch: era * 146_097 + dayOfEra - 719_468)
    }

    /// `2026-11-25` (ISO 8601) or `25.11.2026` (as 1C and Russian Excel write dates).
    public init?(parsing raw: String) {
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

    /// The date an instant falls on in a time zone.
    public init(_ instant: Date, in zone: TimeZone) {
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: instant))
        self.init(daysSinceEpoch: floorDivide(local, 86400))
    }

    /// `2026-11-25`: JSON and storage (text that sorts as dates do). Built by hand: this is on every ledger row's path, and `String(format:)` is slow.
    public var iso: String {
        year.zeroPadded(4) + "-" + month.zeroPadded(2) + "-" + day.zeroPadded(2)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    /// The instant this day begins in a time zone (its local midnight).
    public func start(in zone: TimeZone) -> Date {
        let local = TimeInterval(daysSinceEpoch * 86400)
        // The offset at the instant itself: guess with the offset at local midnight read as UTC, then correct.
        let guess = local - TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        return Date(timeIntervalSince1970: local - TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
    }

    /// The same day `months` later (or earlier), the month's last day when it is shorter: 31 January
    /// and one month is 28 or 29 February.
    public func adding(months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        return CivilDate(year: newYear, month: newMonth, day: Swift.min(day, Self.days(inMonth: newMonth, year: newYear)))!
    }

    public func days(since other: CivilDate) -> Int { Int(daysSinceEpoch - other.daysSinceEpoch) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
