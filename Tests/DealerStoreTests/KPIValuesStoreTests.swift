import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// Pushed KPI values on random departments and both databases: every month's, quarter's and year's
/// fact equals a recomputation here from the raw pushes (a period's own value first; otherwise its
/// months' counts added up and percents averaged, half up to one decimal).
@Suite("Pushed KPI values against an independent recomputation")
struct KPIValuesStoreTests {
    static let now = Date(timeIntervalSince1970: 1_797_757_200)

    @Test(arguments: Backend.available)
    func everyPeriodsFactIsThePushedValueOrItsMonthsAddedUp(_ backend: Backend) async throws {
        try await withTestStore(backend, clock: TestClock(Self.now)) { (store: Store) async throws in
            var random = SystemRandomNumberGenerator()
            var managers: [Manager] = []
            for index in 0..<4 {
                managers.append(
                    try await store.createManager(ManagerDraft(name: "Колл \(index)", email: "c\(index)@example.ru", role: .call), by: testActor))
            }
            let external = KPI.allCases.filter(\.isExternal)
            let months = (1...12).compactMap { PlanPeriod(parsing: String(format: "2026-%02d", $0)) }
            let quarters = (1...4).compactMap { PlanPeriod(parsing: "2026-Q\($0)") }
            let year = try #require(PlanPeriod(parsing: "2026"))
            // Hundredths of what was pushed, by manager, period and KPI.
            var pushed: [UUID: [PlanPeriod: [KPI: Int]]] = [:]
            var lines: [KPIValueLine] = []
            for manager in managers {
                for period in months + quarters + [year] where Int.random(in: 0..<4, using: &random) > (period.months.count > 1 ? 2 : 0) {
                    for kpi in external where Bool.random(using: &random) {
                        let hundredths =
                            kpi.unit == .count ? Int.random(in: 0...5000, using: &random) * 100 : Int.random(in: 0...10_000, using: &random)
                        pushed[manager.id, default: [:]][period, default: [:]][kpi] = hundredths
                        let text = "\(hundredths / 100),\(String(format: "%02d", hundredths % 100))"
                        let value = try ExternalKPIValue.validated(kpi: kpi, value: text, source: "S\(period)", fallbackSource: "x")
                        lines.append(KPIValueLine(line: lines.count + 2, managerEmail: manager.email, period: period, kpi: kpi, value: value))
                    }
                }
            }
            // Half through the import, half one by one: the two ways in store the same.
            let half = lines.count / 2
            _ = try await store.importKPIValues(Array(lines[..<half]), by: testActor)
            for line in lines[half...] {
                let manager = try #require(managers.first { $0.email == line.managerEmail })
                _ = try await store.setKPIValue(managerID: manager.id, period: line.period, kpi: line.kpi, line.value, by: testActor)
            }

            for period in months + quarters + [year] {
                let values = try await store.externalKPIValues(period: period)
                for manager in managers {
                    let facts = KPIFacts.compute(for: manager, dealers: [], period: period, salesManagers: 0, external: values[manager.id] ?? [:])
                    for kpi in external {
                        let expected = Self.recompute(kpi, period: period, pushed: pushed[manager.id] ?? [:])
                        #expect(facts[kpi]?.value == expected, "\(period) \(manager.email) \(kpi.rawValue)")
                        if let own = pushed[manager.id]?[period]?[kpi] {
                            #expect(facts[kpi]?.source == "S\(period)", "its own value, \(own), with its own source")
                        }
                    }
                }
            }
        }
    }

    /// From hundredths: the period's own value, or its months' sum (counts) or mean half up to
    /// tenths (percents), in integer arithmetic.
    static func recompute(_ kpi: KPI, period: PlanPeriod, pushed: [PlanPeriod: [KPI: Int]]) -> Decimal? {
        func decimal(_ whole: Int, places: Int) -> Decimal? { Decimal(string: String(whole)).map { $0 / (places == 2 ? 100 : 10) } }
        if let own = pushed[period]?[kpi] { return decimal(own, places: 2) }
        guard period.months.count > 1 else { return nil }
        let found = period.months.compactMap { pushed[$0]?[kpi] }
        guard !found.isEmpty else { return nil }
        let sum = found.reduce(0, +)
        if kpi.unit == .count { return decimal(sum, places: 2) }
        let tenths = (2 * sum + 10 * found.count) / (20 * found.count)
        return decimal(tenths, places: 1)
    }
}
