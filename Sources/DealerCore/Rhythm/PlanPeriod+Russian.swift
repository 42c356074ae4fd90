import Foundation

extension PlanPeriod {
    /// As a Russian report heads it: `ноябрь 2026`, `IV квартал 2026`, `2026 год`.
    public var russianName: String {
        switch kind {
        case .month(let month): "\(Self.monthNames[max(0, min(11, month - 1))]) \(year)"
        case .quarter(let quarter): "\(["I", "II", "III", "IV"][max(0, min(3, quarter - 1))]) квартал \(year)"
        case .year: "\(year) год"
        }
    }

    private static let monthNames = [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    ]
}
