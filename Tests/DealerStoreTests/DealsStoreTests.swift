import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// Deals on random departments and both databases: what the store reads back is what was pushed,
/// pushing again changes nothing, and the funnel of every manager and the department for every
/// month, quarter and the year, from the store's period query, equals Core's funnel over all the
/// deals pushed (so the query leaves out no deal that counts).
@Suite("Deals in the store against the funnel over every deal")
struct DealsStoreTests {
    /// 2026-12-31 12:00 in Moscow: every date of the year is in the past.
    static let now = Date(timeIntervalSince1970: 1_798_707_600)

    @Test(arguments: Backend.available)
    func everyPeriodsFunnelFromTheStoreIsCoresOverAllDeals(_ backend: Backend) async throws {
        try await withTestStore(backend, clock: TestClock(Self.now)) { (store: Store) async throws in
            var random = SystemRandomNumberGenerator()
            var managers: [Manager] = []
            for index in 0..<3 {
                managers.append(
                    try await store.createManager(
                        ManagerDraft(name: "Менеджер \(index)", email: "m\(index)@example.ru", role: .existingClients), by: testActor))
            }
            let settings = DealSettings()
            let january = CivilDate(year: 2026, month: 1, day: 1) ?? CivilDate(daysSinceEpoch: 0)
            var drafts: [DealDraft] = []
            for index in 0..<Int.random(in: 20...80, using: &random) {
                let opened = january.adding(days: Int.random(in: 0...330, using: &random))
                let status = ["open", "open", "won", "lost"].randomElement(using: &random) ?? "open"
                let closed = status == "open" ? nil : opened.adding(days: Int.random(in: 0...30, using: &random)).iso
                drafts.append(
                    DealDraft(
                        externalID: "R-\(index)", prospect: "Клиент \(index)",
                        manager: managers.randomElement(using: &random)?.email, amount: "\(Int.random(in: 1...9_999_999, using: &random)),50",
                        stage: settings.stages.randomElement(using: &random)?.key, status: status, openedOn: opened.iso, closedOn: closed,
                        reason: status == "lost" ? "цена" : nil))
            }
            let stored = try await store.recordDeals(drafts, settings: settings, currency: .rub, prefix: { "deals[\($0)]." }, by: testActor)
            #expect(stored.allSatisfy { $0.outcome == .created })
            let again = try await store.recordDeals(drafts, settings: settings, currency: .rub, prefix: { "deals[\($0)]." }, by: testActor)
            #expect(again.allSatisfy { $0.outcome == .unchanged }, "the same deals pushed again change nothing")
            let all = try await store.deals(DealQuery(limit: 1000)).items
            #expect(Set(all.map(\.externalID)) == Set(drafts.compactMap(\.externalID)))
            for deal in stored.map(\.deal) {
                #expect(all.first { $0.id == deal.id }.map { $0.sameContent(as: deal) } == true, "\(deal.externalID) reads back as pushed")
            }

            let periods =
                (1...12).compactMap { PlanPeriod(parsing: String(format: "2026-%02d", $0)) }
                + (1...4).compactMap { PlanPeriod(parsing: "2026-Q\($0)") }
                + [PlanPeriod(year: 2026, kind: .year)]
            for period in periods {
                for manager in managers.map(\.id) as [UUID?] + [nil] {
                    let fromStore = try await store.funnel(period: period, managerID: manager, settings: settings)
                    let mine = manager.map { id in all.filter { $0.managerID == id } } ?? all
                    let expected = Funnel.compute(mine, period: period, today: store.calendar.today, settings: settings)
                    #expect(fromStore == expected, "\(period) \(manager?.lowercased ?? "department")")
                }
            }
        }
    }
}
