import DealerCore
import Foundation
import Testing

/// Who a digest speaks of and what it leaves out: a manager's morning list is his own and his served
/// dealers only, overdue debt is news once, nothing to say is no message, and the head's week keeps
/// the worst five of each list with the count of all.
@Suite("Digests: the morning list and the weekly one")
struct NotificationDigestTests {
    static let day = CivilDate(year: 2026, month: 11, day: 17)!
    static let epoch = Date(timeIntervalSince1970: 0)
    static let anna = Manager(id: UUID(), name: "Анна", email: "anna@example.ru", role: .existingClients, createdAt: epoch, updatedAt: epoch)
    static let sergey = Manager(id: UUID(), name: "Сергей", email: "sergey@example.ru", role: .service, createdAt: epoch, updatedAt: epoch)
    static let head = Manager(id: UUID(), name: "Олег", email: "head@example.ru", role: .head, createdAt: epoch, updatedAt: epoch)

    static func dealer(_ number: Int, manager: UUID? = anna.id, served: UUID? = nil) -> DigestDealer {
        DigestDealer(id: UUID(), code: "D-\(number)", name: "Дилер \(number)", managerID: manager, serviceSpecialistID: served)
    }

    static func credit(_ dealer: DigestDealer, state: CreditState, balance: Int64, overdue: Int64 = 0) -> DigestCredit {
        DigestCredit(
            dealerID: dealer.id, state: state, overdueState: overdue > 0 ? .overdue : .clear, currency: .rub, balance: balance,
            limit: 100_000_00, overdue: overdue, daysOverdue: overdue > 0 ? 5 : 0)
    }

    @Test func aMorningDigestListsTheManagersAndTheServedDealersWorstFirst() throws {
        let own = Self.dealer(1)
        let near = Self.dealer(2)
        let served = Self.dealer(3, manager: nil, served: Self.anna.id)
        let others = Self.dealer(4, manager: Self.sergey.id)
        var facts = DigestFacts(today: Self.day, currency: .rub)
        for dealer in [own, near, served, others] { facts.dealers[dealer.id] = dealer }
        facts.credit = [
            Self.credit(near, state: .warning, balance: 95_000_00), Self.credit(own, state: .breached, balance: 105_000_00),
            Self.credit(others, state: .breached, balance: 200_000_00), Self.credit(served, state: .ok, balance: 10_000_00, overdue: 5_000_00),
        ]
        facts.newlyOverdue = [served.id]
        let digest = try #require(NotificationDigest.morning(for: Self.anna, facts: facts))
        #expect(digest.limits.entries.map(\.dealer.code) == ["D-1", "D-2"], "over the limit before near it; Sergey's dealer left out")
        #expect(digest.overdue.entries.map(\.dealer.code) == ["D-3"], "a dealer she serves counts as hers")
        let text = digest.facts(managerName: "Анна")
        #expect(text.lists["limits"]?.first?["utilisation"] == "105\u{A0}%")
        #expect(text.lists["limits"]?.first?["state"] == "лимит превышен")
        #expect(text.values["limits_total"] == "2" && text.flags.contains("any_overdue") && !text.flags.contains("any_rhythm"))

        facts.newlyOverdue = []
        let quiet = NotificationDigest.morning(for: Self.anna, facts: facts)
        #expect(quiet?.overdue.isEmpty == true, "overdue debt already told of is not news again")
        #expect(NotificationDigest.morning(for: Self.head, facts: facts) == nil, "the head of sales has the weekly digest")
        var inactive = Self.anna
        inactive.active = false
        #expect(NotificationDigest.morning(for: inactive, facts: facts) == nil)
    }

    @Test func nothingToSayIsNoMessageButAPlanIsWorthAMorning() {
        var facts = DigestFacts(today: Self.day, currency: .rub)
        let own = Self.dealer(1)
        facts.dealers[own.id] = own
        facts.credit = [Self.credit(own, state: .ok, balance: 1_00)]
        #expect(NotificationDigest.morning(for: Self.anna, facts: facts) == nil)
        facts.plans[Self.anna.id] = PlanFulfillment(planMinor: 300_000_00, factMinor: 200_000_00, forecastMinor: 350_000_00)
        let digest = NotificationDigest.morning(for: Self.anna, facts: facts)
        let text = digest?.facts(managerName: "Анна")
        #expect(text?.values["fulfilment"] == "67\u{A0}%" && text?.values["forecast"] == "350\u{A0}000\u{A0}₽", "\(String(describing: text))")
    }

    @Test func theWeeklyDigestKeepsTheWorstFiveOfEachListAndCountsThemAll() throws {
        var facts = DigestFacts(today: Self.day, currency: .rub, receivablesBalance: 1_000_000_00, receivablesOverdue: 70_000_00)
        for number in 1...7 {
            let dealer = Self.dealer(number, manager: number.isMultiple(of: 2) ? Self.anna.id : Self.sergey.id)
            facts.dealers[dealer.id] = dealer
            facts.credit.append(
                Self.credit(dealer, state: .breached, balance: Int64(100_000_00 + number * 1_000_00), overdue: Int64(number) * 10_000_00))
        }
        facts.plans = [
            Self.anna.id: PlanFulfillment(planMinor: 100_00, factMinor: 90_00), Self.sergey.id: PlanFulfillment(planMinor: 100_00, factMinor: 40_00),
        ]
        let digest = try #require(NotificationDigest.weekly(for: Self.head, managers: [Self.anna, Self.sergey, Self.head], facts: facts))
        #expect(digest.limits.total == 7 && digest.limits.entries.map(\.dealer.code) == ["D-7", "D-6", "D-5", "D-4", "D-3"])
        #expect(digest.overdue.entries.first?.dealer.code == "D-7", "every overdue dealer, the largest debt first")
        #expect(digest.managerPlans.entries.map(\.name) == ["Сергей", "Анна"], "furthest behind the plan first")
        #expect(digest.plan == PlanFulfillment(planMinor: 200_00, factMinor: 130_00))
        let text = digest.facts(managerName: "Олег")
        #expect(text.values["limits_more"] == "ещё 2" && text.values["receivables_overdue"] == "70\u{A0}000\u{A0}₽")
        #expect(NotificationDigest.weekly(for: Self.anna, managers: [Self.anna], facts: facts) == nil, "the week is the head's")
    }

    @Test func digestsGoOutOnWorkingDaysAndAMondayLooksBackToFriday() {
        let monday = CivilDate(year: 2026, month: 11, day: 16)!
        #expect(DigestCalendar.previousWorkingDay(before: monday) == CivilDate(year: 2026, month: 11, day: 13)!)
        #expect(DigestCalendar.previousWorkingDay(before: Self.day) == monday)
        #expect(!DigestCalendar.isWorkingDay(CivilDate(year: 2026, month: 11, day: 15)!) && DigestCalendar.isWorkingDay(monday))
    }
}
