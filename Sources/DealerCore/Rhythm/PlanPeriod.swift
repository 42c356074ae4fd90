import Foundation

/// A month, a quarter or a year that plans are set and measured for: `2026-10`, `2026-Q4`, `2026`.
public struct PlanPeriod: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case month(Int)
        case quarter(Int)
        case year
    }

    public let year: Int
    public let kind: Kind

    public init?(parsing raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), CivilDate.supportedYears.contains(year) else { return nil }
        switch parts.count {
        case 1:
            self.init(year: year, kind: .year)
        case 2 where parts[1].hasPrefix("Q"):
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter), parts[1].count == 2 else { return nil }
            self.init(year: year, kind: .quarter(quarter))
        case 2:
            guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            self.init(year: year, kind: .month(month))
        default:
            return nil
        }
    }

    public init(year: Int, kind: Kind) {
        self.year = year
        self.kind = kind
    }

    /// The month a day falls in.
    public static func month(of date: CivilDate) -> PlanPeriod { PlanPeriod(year: date.year, kind: .month(date.month)) }

    public var description: String {
        switch kind {
        case .month(let month): "\(year)-\(month.zeroPadded(2))"
        case .quarter(let quarter): "\(year)-Q\(quarter)"
        case .year: "\(year)"
        }
    }

    /// The months it covers, as plans are stored (`2026-10`).
    public var months: [PlanPeriod] {
        let range: ClosedRange<Int> =
            switch kind {
            case .month(let month): month...month
            case .quarter(let quarter): (quarter * 3 - 2)...(quarter * 3)
            case .year: 1...12
            }
        return range.map { PlanPeriod(year: year, kind: .month($0)) }
    }

    /// The first month it covers (1 for a year).
    private var firstMonth: Int {
        switch kind {
        case .month(let month): month
        case .quarter(let quarter): quarter * 3 - 2
        case .year: 1
        }
    }

    /// The first day. A period is made only from a supported year (`PlanPeriod(parsing:)`, the
    /// month of a supported date), so these days are always in range; built by month arithmetic from
    /// 1 January 1970 so that no value can trap.
    public var firstDay: CivilDate {
        CivilDate(daysSinceEpoch: 0).adding(months: (year - 1970) * 12 + firstMonth - 1)
    }

    public var lastDay: CivilDate {
        firstDay.adding(months: months.count).adding(days: -1)
    }

    public var dayCount: Int { lastDay.days(since: firstDay) + 1 }

    /// The same period a year earlier, for growth.
    public var yearEarlier: PlanPeriod { PlanPeriod(year: year - 1, kind: kind) }

    public var previous: PlanPeriod {
        guard case .month(let month) = kind else { return yearEarlier }
        return month == 1 ? PlanPeriod(year: year - 1, kind: .month(12)) : PlanPeriod(year: year, kind: .month(month - 1))
    }
}
