import Foundation

/// A fact dealerd cannot see for itself (calls, reach, CSI, …): pushed for one manager, period and
/// KPI by the telephony, the CRM or the head of sales, with where it came from.
public struct ExternalKPIValue: Sendable, Equatable {
    public var value: Decimal
    /// Who says so, as people read it on the scorecard: "Манго Офис", "Опрос CSI, ноябрь".
    public var source: String

    public init(value: Decimal, source: String) {
        self.value = value
        self.source = source
    }

    public static let maxSourceLength = 200

    /// A value as sent, checked for its KPI: only external KPIs take one; a count is a whole number
    /// from 0 to 10 000 000, a percent from 0 to 100 with at most two decimals. An empty source is
    /// the sender's name (`fallbackSource`). Problems are under `value`, `source` and `kpi`.
    public static func validated(
        kpi: KPI, value text: String?, source: String?, fallbackSource: String
    ) throws(ValidationError) -> ExternalKPIValue {
        var issues = ValidationCollector()
        if !kpi.isExternal {
            issues.add(
                "kpi",
                "\(kpi.rawValue) is computed by dealerd from its own data; values are pushed for "
                    + KPI.allCases.filter(\.isExternal).map(\.rawValue).joined(separator: ", "))
        }
        var value: Decimal?
        if let text = text?.trimmedNonEmpty {
            switch parse(text, for: kpi) {
            case .success(let parsed): value = parsed
            case .failure(let problem): issues.add("value", problem.message)
            }
        } else {
            issues.add("value", "required: the fact for the period, such as 1250 or 63.5")
        }
        let trimmed = source?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.count > maxSourceLength { issues.add("source", "at most \(maxSourceLength) characters") }
        if trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            issues.add("source", "one line of text without control characters")
        }
        try issues.check()
        return ExternalKPIValue(value: value ?? 0, source: trimmed.isEmpty ? fallbackSource : trimmed)
    }

    /// A fact in the KPI's unit from text as people write it (a decimal comma and spaces allowed).
    /// Unlike a target, 0 is a fact: no meetings this month.
    public static func parse(_ text: String, for kpi: KPI) -> Result<Decimal, KPITarget.Problem> {
        let minor: Int64
        do {
            minor = try Money(parsing: text, currency: .rub).minorUnits
        } catch {
            return .failure(KPITarget.Problem(message: "a number such as 1250 or 63.5 (\(error.description))"))
        }
        let value = KPIFacts.major(minor)
        guard minor >= 0 else { return .failure(KPITarget.Problem(message: "a fact is 0 or more")) }
        switch kpi.unit {
        case .percent:
            guard value <= 100 else { return .failure(KPITarget.Problem(message: "a percent from 0 to 100")) }
        case .count:
            guard minor % 100 == 0, value <= 10_000_000 else {
                return .failure(KPITarget.Problem(message: "a count: a whole number from 0 to 10000000"))
            }
        case .money:
            break
        }
        return .success(value)
    }

    /// The value for `period` from what was pushed, by period: the value pushed for the period
    /// itself; otherwise, for a quarter or a year, its months' values, counts added up and percents
    /// averaged over the months that have one (to one decimal), the source naming those months.
    /// Nil when nothing was pushed for the period or any of its months.
    public static func resolve(_ kpi: KPI, for period: PlanPeriod, pushed: [PlanPeriod: [KPI: ExternalKPIValue]]) -> ExternalKPIValue? {
        if let own = pushed[period]?[kpi] { return own }
        guard case .month = period.kind else {
            let months = period.months.compactMap { month in pushed[month]?[kpi].map { (month, $0) } }
            guard !months.isEmpty else { return nil }
            let total = months.reduce(Decimal(0)) { $0 + $1.1.value }
            let value = kpi.unit == .count ? total : Percent.rounded(total / Decimal(months.count), places: 1)
            var sources: [String] = []
            for (_, pushed) in months where !sources.contains(pushed.source) { sources.append(pushed.source) }
            let named = months.map(\.0.description).joined(separator: ", ")
            return ExternalKPIValue(value: value, source: "\(sources.joined(separator: "; ")) (\(named))")
        }
        return nil
    }

    /// Every external KPI's value for `period`, per manager.
    public static func resolveAll(
        for period: PlanPeriod, pushed: [UUID: [PlanPeriod: [KPI: ExternalKPIValue]]]
    ) -> [UUID: [KPI: ExternalKPIValue]] {
        pushed.compactMapValues { periods in
            var values: [KPI: ExternalKPIValue] = [:]
            for kpi in KPI.allCases where kpi.isExternal { values[kpi] = resolve(kpi, for: period, pushed: periods) }
            return values.isEmpty ? nil : values
        }
    }
}
