import Foundation

/// Scorecard figures as people read them: `1 234 567,89 ₽`, `87,5 %`, `3 дилера`.
public enum ScorecardText {
    public static func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: .rub).russianText + " ₽" }

    /// A KPI's fact or target in its unit.
    public static func value(_ value: Decimal?, unit: KPI.Unit) -> String {
        guard let value else { return "—" }
        switch unit {
        case .money:
            return money(KPIFacts.minor(value) ?? 0)
        case .percent: return decimal(value) + " %"
        case .count: return decimal(value)
        }
    }

    /// A decimal with a comma: `87,5`.
    public static func decimal(_ value: Decimal) -> String { value.description.replacingOccurrences(of: ".", with: ",") }

    /// `1 дилер`, `2 дилера`, `5 дилеров`.
    public static func dealers(_ count: Int) -> String {
        let lastTwo = count % 100
        let last = count % 10
        let word = (11...14).contains(lastTwo) ? "дилеров" : last == 1 ? "дилер" : (2...4).contains(last) ? "дилера" : "дилеров"
        return "\(count) \(word)"
    }

    /// What a lift takes and brings: `Дилеры в ритме отгрузок: ещё 2 дилера — +4 300,00 ₽`.
    public static func lift(_ lift: Scorecard.Lift) -> String {
        let step = lift.moreDealers.map { "ещё " + dealers($0) } ?? "до " + value(lift.to, unit: lift.kpi.unit)
        return "\(lift.kpi.title): \(step) — +\(money(lift.gainMinor))"
    }
}
