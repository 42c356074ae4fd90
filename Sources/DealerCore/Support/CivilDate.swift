import Foundation

/// A calendar date in the proleptic Gregorian calendar, by plain arithmetic (Howard Hinnant's
/// days-from-civil), so schedule search does not go through Calendar for every candidate day.
struct CivilDate: Sendable, Equatable {
    let year: Int
    let month: Int
    let day: Int
    let daysSinceEpoch: Int64

    init(daysSinceEpoch days: Int64) {
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
