import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// The store gathers the KPI figures with set queries; here the same KPIs are recomputed from the
/// documents the test generated, with its own FIFO, on random departments and both databases.
@Suite("KPI figures against an independent recomputation")
struct KPIFiguresStoreTests {
    /// 2026-12-20 12:00 in Moscow.
    static let now = Date(timeIntervalSince1970: 1_797_757_200)
    static let today = CivilDate(daysSinceEpoch: 20807)  // 2026-12-20

    struct Document {
        var dealer: UUID
        var id: String
        var kind: String
        var date: CivilDate
        var due: CivilDate?
        var minor: Int64

        var effect: Int64 { ["payment", "return"].contains(kind) ? -minor : minor }
    }

    @Test(arguments: Backend.available)
    func everyLedgerKPIMatchesARecomputationFromTheDocuments(_ backend: Backend) async throws {
        try await withTestStore(backend, clock: TestClock(Self.now)) { (store: Store) async throws in
            var random = SystemRandomNumberGenerator()
            let managers = [
                try await store.createManager(ManagerDraft(name: "Анна", email: "a@example.ru", role: .existingClients), by: testActor),
                try await store.createManager(ManagerDraft(name: "Борис", email: "b@example.ru", role: .existingClients), by: testActor),
                try await store.createManager(ManagerDraft(name: "Вера", email: "v@example.ru", role: .head), by: testActor),
            ]
            var dealers: [(id: UUID, manager: UUID?)] = []
            var limits: [UUID: Int64] = [:]
            var plans: [UUID: [String: Int64]] = [:]
            var documents: [Document] = []
            for index in 0..<KnownINN.organisations.count {
                let manager = [managers[0].id, managers[1].id, nil].randomElement(using: &random) ?? nil
                let dealer = try await store.createDealer(
                    .sample(code: "K-\(index)", taxID: KnownINN.organisations[index], managerID: manager), by: testActor)
                dealers.append((dealer.id, manager))
                if Bool.random(using: &random) {
                    let limit = Int64.random(in: 1...400, using: &random) * 10_000_00
                    _ = try await store.setCreditPolicy(
                        dealerID: dealer.id, CreditPolicyDraft(limit: Money(minorUnits: limit, currency: .rub).decimalString, reason: "договор"),
                        defaults: CreditDefaults(), today: Self.today, by: testActor)
                    limits[dealer.id] = limit
                }
                for month in ["2026-11", "2026-12"] where Bool.random(using: &random) {
                    let amount = Int64.random(in: 1...500, using: &random) * 10_000_00
                    let period = try #require(PlanPeriod(parsing: month))
                    _ = try await store.setPlan(
                        dealerID: dealer.id, period: period,
                        SalesPlanDraft(amount: Money(minorUnits: amount, currency: .rub).decimalString), currency: .rub, by: testActor)
                    plans[dealer.id, default: [:]][month] = amount
                }
                var drafts: [LedgerEntryDraft] = []
                for number in 0..<Int.random(in: 0...25, using: &random) {
                    let kind =
                        ["shipment", "shipment", "invoice", "payment", "payment", "return", "adjustment"].randomElement(using: &random) ?? "shipment"
                    // From November 2025 (a year before the closed month) to today.
                    let date = Self.today.adding(days: -Int.random(in: 0...415, using: &random))
                    let debt = !["payment", "return"].contains(kind)
                    let due = debt ? date.adding(days: Int.random(in: 0...60, using: &random)) : nil
                    let document = Document(
                        dealer: dealer.id, id: "K-\(index)-\(number)", kind: kind, date: date, due: due,
                        minor: Int64.random(in: 1...3_000_000_00, using: &random))
                    documents.append(document)
                    drafts.append(
                        LedgerEntryDraft(
                            externalID: document.id, kind: kind, documentNumber: document.id, documentDate: date.iso,
                            amount: Money(minorUnits: document.minor, currency: .rub).decimalString, currency: "RUB", dueDate: due?.iso,
                            reason: kind == "adjustment" ? "корректировка" : nil))
                }
                if !drafts.isEmpty {
                    _ = try await store.recordLedgerEntries(
                        drafts.map { (DealerReference.id(dealer.id), $0) }, correcting: false, defaults: CreditDefaults(), today: Self.today,
                        prefix: { "entries[\($0)]." }, by: testActor)
                }
            }

            for period in [try #require(PlanPeriod(parsing: "2026-11")), try #require(PlanPeriod(parsing: "2026-12"))] {
                let figures = try await store.kpiFigures(period: period, deadlines: ActDeadlines())
                let end = min(period.lastDay, Self.today)
                for manager in managers {
                    let facts = KPIFacts.compute(for: manager, dealers: figures, period: period, salesManagers: 2)
                    let mine = Set(dealers.filter { manager.role == .head || $0.manager == manager.id }.map(\.id))
                    let expected = Self.recompute(
                        documents: documents.filter { mine.contains($0.dealer) }, dealers: mine, limits: limits,
                        plans: plans.filter { mine.contains($0.key) }, period: period, end: end)
                    for (kpi, value) in expected {
                        #expect(
                            facts[kpi]?.value == value,
                            "\(period) \(manager.name) \(kpi.rawValue): \(String(describing: facts[kpi]?.value)) ≠ \(String(describing: value))")
                    }
                }
            }
        }
    }

    /// The ledger KPIs from the documents alone: sums by document date, and FIFO written out here.
    static func recompute(
        documents: [Document], dealers: Set<UUID>, limits: [UUID: Int64], plans: [UUID: [String: Int64]], period: PlanPeriod, end: CivilDate
    ) -> [KPI: Decimal?] {
        func rub(_ minor: Int64) -> Decimal { Decimal(string: String(minor)).map { $0 / 100 } ?? 0 }
        func percent(_ part: Decimal, _ whole: Decimal) -> Decimal? {
            guard whole != 0 else { return nil }
            var exact = part * 100 / whole
            var rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 1, .plain)
            return rounded
        }
        let earlier = period.yearEarlier
        func sales(from: CivilDate, to: CivilDate) -> Int64 {
            documents.filter { ["shipment", "return"].contains($0.kind) && $0.date >= from && $0.date <= to }.reduce(0) { $0 + $1.effect }
        }
        let sold = sales(from: period.firstDay, to: period.lastDay)
        let soldEarlier = sales(from: earlier.firstDay, to: earlier.lastDay)
        let plan = plans.values.flatMap { $0.filter { month, _ in period.months.map(\.description).contains(month) }.map(\.value) }.reduce(0, +)
        let paid = documents.filter { $0.kind == "payment" && $0.date >= period.firstDay && $0.date <= end }.reduce(0) { $0 + $1.minor }
        var owedAtStart: Int64 = 0
        var owedAtEnd: Int64 = 0
        var overdue: Int64 = 0
        var within = 0
        for dealer in dealers {
            let own = documents.filter { $0.dealer == dealer }
            let start = own.filter { $0.date < period.firstDay }.reduce(0) { $0 + $1.effect }
            let closing = own.filter { $0.date <= end }.reduce(0) { $0 + $1.effect }
            owedAtStart += max(0, start)
            owedAtEnd += max(0, closing)
            if let limit = limits[dealer], closing <= limit { within += 1 }
            // FIFO: credits pay the debts oldest due first.
            var credit = own.filter { $0.date <= end && $0.effect < 0 }.reduce(0) { $0 - $1.effect }
            for debt in own.filter({ $0.date <= end && $0.effect > 0 }).sorted(by: {
                ($0.due ?? $0.date, $0.date, $0.id) < ($1.due ?? $1.date, $1.date, $1.id)
            }) {
                let paidOff = min(credit, debt.effect)
                credit -= paidOff
                if let due = debt.due, due < end { overdue += debt.effect - paidOff }
            }
        }
        let withLimit = dealers.filter { limits[$0] != nil }.count
        return [
            .salesVolume: rub(sold),
            .growth: soldEarlier > 0 ? percent(rub(sold - soldEarlier), rub(soldEarlier)) : nil,
            .planFulfilment: plan > 0 ? percent(rub(sold), rub(plan)) : nil,
            .paymentsToReceivables: percent(rub(paid), rub(owedAtStart)),
            .withinLimitShare: withLimit > 0 ? percent(Decimal(within), Decimal(withLimit)) : nil,
            .overdueShare: dealers.isEmpty ? nil : owedAtEnd > 0 ? percent(rub(overdue), rub(owedAtEnd)) : 0,
        ]
    }
}
