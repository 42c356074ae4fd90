import DealerCore
import Foundation
import Testing

@Suite("The sales funnel and its KPIs")
struct FunnelTests {
    let rub = Currency.rub
    let settings = DealSettings()
    let november = PlanPeriod(year: 2026, kind: .month(11))
    let october = CivilDate(year: 2026, month: 10, day: 1)!

    func deal(
        _ id: String, manager: UUID, amount: Int64, stage: String, status: DealStatus, opened: CivilDate, closed: CivilDate? = nil,
        reason: String? = nil
    ) -> Deal {
        Deal(
            id: UUID(), externalID: id, dealerID: nil, prospect: "ООО «\(id)»", managerID: manager, amount: Money(minorUnits: amount, currency: rub),
            stage: stage, status: status, openedOn: opened, closedOn: closed, reason: reason, stageSince: opened, createdAt: Date(),
            updatedAt: Date())
    }

    /// Against counts taken straight from the rows, on random departments and days.
    @Test(arguments: 0..<40)
    func agreesWithARecountFromTheRowsOnRandomDeals(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed + 500))
        let managers = [UUID(), UUID(), UUID()]
        var deals: [Deal] = []
        for index in 0..<Int.random(in: 0...40, using: &generator) {
            let opened = october.adding(days: Int.random(in: 0...75, using: &generator))
            let status = [DealStatus.open, .open, .won, .lost].randomElement(using: &generator) ?? .open
            let closed = status == .open ? nil : opened.adding(days: Int.random(in: 0...40, using: &generator))
            let stage = settings.stages.randomElement(using: &generator)?.key ?? "lead"
            deals.append(
                deal(
                    "D\(index)", manager: managers.randomElement(using: &generator) ?? managers[0],
                    amount: Int64.random(in: 1...5_000_000_00, using: &generator), stage: stage, status: status, opened: opened,
                    closed: closed, reason: status == .lost ? ["цена", "сроки", "конкурент"].randomElement(using: &generator) : nil))
        }
        let today = october.adding(days: Int.random(in: 31...90, using: &generator))
        let funnel = Funnel.compute(deals, period: november, today: today, settings: settings)

        let first = november.firstDay
        let end = min(november.lastDay, today)
        let working = deals.filter { $0.openedOn <= end && ($0.closedOn.map { $0 > end } ?? true) }
        let cohort = deals.filter { $0.openedOn >= first && $0.openedOn <= end }
        let closed = deals.filter { ($0.closedOn ?? .init(daysSinceEpoch: 0)) >= first && ($0.closedOn ?? .init(daysSinceEpoch: 0)) <= end }
        let won = closed.filter { $0.status == .won }
        let lost = closed.filter { $0.status == .lost }
        #expect(funnel.end == end && funnel.inWork == working.count && funnel.opened == cohort.count)
        #expect(funnel.inWorkMinor == working.reduce(0) { $0 + $1.amount.minorUnits })
        #expect(funnel.won == won.count && funnel.lost == lost.count)
        #expect(funnel.wonMinor == won.reduce(0) { $0 + $1.amount.minorUnits })
        #expect(funnel.winRatePercent == (closed.filter { $0.status != .open }.isEmpty ? nil : Self.tenths(won.count * 100, won.count + lost.count)))
        let wonSum = won.reduce(0) { $0 + $1.amount.minorUnits }
        #expect(funnel.averageDealMinor == (won.isEmpty ? nil : (wonSum * 2 + Int64(won.count)) / (2 * Int64(won.count))))
        let days = won.map { $0.closedOn!.daysSinceEpoch - $0.openedOn.daysSinceEpoch }.sorted()
        let median: Decimal? =
            days.isEmpty ? nil : days.count % 2 == 1 ? Decimal(days[days.count / 2]) : Decimal(days[days.count / 2 - 1] + days[days.count / 2]) / 2
        #expect(funnel.medianDaysToClose == median)
        for (index, stage) in settings.stages.enumerated() {
            let line = funnel.stages[index]
            #expect(line.key == stage.key && line.inWork == working.filter { $0.stage == stage.key }.count)
            func got(to place: Int) -> Int {
                place == settings.stages.count
                    ? cohort.filter { $0.status == .won }.count
                    : cohort.filter { $0.status == .won || (settings.index(of: $0.stage) ?? 0) >= place }.count
            }
            #expect(line.reached == got(to: index))
            #expect(line.conversionPercent == (got(to: index) == 0 ? nil : Self.tenths(got(to: index + 1) * 100, got(to: index))), "seed \(seed)")
        }
        #expect(funnel.lostReasons.reduce(0) { $0 + $1.deals } == lost.count)
    }

    @Test func theKPIsOfAManagersDealsAndTheHeadsOfAll() {
        let anna = Manager(id: UUID(), name: "Анна", email: "anna@example.ru", role: .existingClients, createdAt: Date(), updatedAt: Date())
        let head = Manager(id: UUID(), name: "Вера", email: "vera@example.ru", role: .head, createdAt: Date(), updatedAt: Date())
        let day = november.firstDay
        let deals = [
            deal("A1", manager: anna.id, amount: 100_000_00, stage: "contract", status: .won, opened: day, closed: day.adding(days: 9)),
            deal("A2", manager: anna.id, amount: 300_000_00, stage: "contract", status: .won, opened: day, closed: day.adding(days: 20)),
            deal(
                "A3", manager: anna.id, amount: 50_000_00, stage: "proposal", status: .lost, opened: day, closed: day.adding(days: 5), reason: "цена"),
            deal("A4", manager: anna.id, amount: 70_000_00, stage: "lead", status: .open, opened: day),
            deal("H1", manager: head.id, amount: 10_000_00, stage: "lead", status: .open, opened: day),
        ]
        let facts = KPIFacts.compute(for: anna, dealers: [], period: november, salesManagers: 1, deals: deals)
        #expect(facts[.dealsInWork]?.value == 1 && facts[.averageDealSize]?.value == 200_000)
        #expect(facts[.winRate]?.value == Decimal(string: "66.7") && facts[.daysToClose]?.value == Decimal(string: "14.5"))
        let department = KPIFacts.compute(for: head, dealers: [], period: november, salesManagers: 1, deals: deals)
        #expect(department[.dealsInWork]?.value == 2)
        #expect(KPI.daysToClose.lowerIsBetter && KPI.averageDealSize.unit == .money && KPI.winRate.unit == .percent)
        let none = KPIFacts.compute(for: anna, dealers: [], period: november, salesManagers: 1)
        #expect(none[.dealsInWork]?.value == 0 && none[.winRate]?.value == nil && none[.averageDealSize]?.value == nil)
    }

    /// `a ÷ b` half up to one decimal.
    static func tenths(_ a: Int, _ b: Int) -> Decimal {
        Decimal((a * 20 + b) / (2 * b)) / 10
    }
}
