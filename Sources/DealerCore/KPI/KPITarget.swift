import Foundation

/// A manager's own targets for a period, as sent: KPI name → target text (`"20 000 000,00"`, `85`),
/// or nil to go back to the scheme's default.
public struct KPITargetsDraft: Sendable, Equatable {
    public var targets: [String: String?]

    public init(targets: [String: String?]) {
        self.targets = targets
    }

    /// The targets checked, each problem under `targets.<kpi>`: a known KPI; above 0; roubles with at
    /// most two decimals, percents up to 1000, counts whole.
    public func validated() throws(ValidationError) -> [KPI: Decimal?] {
        var issues = ValidationCollector()
        var result: [KPI: Decimal?] = [:]
        if targets.isEmpty { issues.add("targets", "name at least one KPI") }
        for (name, text) in targets.sorted(by: { $0.key < $1.key }) {
            let field = "targets.\(name)"
            guard let kpi = KPI(rawValue: name) else {
                issues.add(field, "not a KPI; one of \(KPI.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            guard let text else {
                result[kpi] = .some(nil)
                continue
            }
            switch KPITarget.parse(text, for: kpi) {
            case .success(let value): result[kpi] = value
            case .failure(let problem): issues.add(field, problem.message)
            }
        }
        try issues.check()
        return result
    }
}

public enum KPITarget {
    public struct Problem: Error, Sendable {
        public var message: String
    }

    /// A target in the KPI's unit from text as people write it (a decimal comma and spaces allowed).
    public static func parse(_ text: String, for kpi: KPI) -> Result<Decimal, Problem> {
        let minor: Int64
        do {
            minor = try Money(parsing: text, currency: .rub).minorUnits
        } catch {
            return .failure(Problem(message: "a number such as 15000000.00 or 85 (\(error.description))"))
        }
        let value = KPIFacts.major(minor)
        guard minor > 0 else { return .failure(Problem(message: "a target is above 0")) }
        switch kpi.unit {
        case .money: return .success(value)
        case .percent:
            guard value <= 1000 else { return .failure(Problem(message: "a percent target is at most 1000")) }
            return .success(value)
        case .count:
            guard minor % 100 == 0, value <= 100_000 else { return .failure(Problem(message: "a count: a whole number up to 100000")) }
            return .success(value)
        }
    }
}
