import Foundation

/// One person's digest: the lists of what needs his attention, worst first. A morning digest is a
/// manager's own dealers; the weekly one is the department's for the head of sales, each list cut
/// to its worst few with the count of all.
public struct NotificationDigest: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case morning = "digest.morning"
        case weekly = "digest.weekly"
    }

    /// One list of the digest: its worst entries and how many there are in all.
    public struct Section<Entry: Sendable & Equatable>: Sendable, Equatable {
        public var entries: [Entry]
        public var total: Int

        public init(_ all: [Entry], keep: Int? = nil) {
            total = all.count
            entries = keep.map { Array(all.prefix($0)) } ?? all
        }

        public var isEmpty: Bool { total == 0 }
    }

    public struct Entry<Fact: Sendable & Equatable>: Sendable, Equatable {
        public var dealer: DigestDealer
        public var fact: Fact
    }

    /// A manager's month in the weekly digest.
    public struct ManagerPlan: Sendable, Equatable {
        public var managerID: UUID
        public var name: String
        public var plan: PlanFulfillment
    }

    public var kind: Kind
    public var managerID: UUID
    public var day: CivilDate
    public var currency: Currency
    /// Over their limit, then near it; by the share used.
    public var limits: Section<Entry<DigestCredit>>
    /// Morning: newly overdue; weekly: every overdue dealer. By the amount overdue.
    public var overdue: Section<Entry<DigestCredit>>
    /// Broken, then late; by days late.
    public var rhythm: Section<Entry<DigestRhythm>>
    /// Longest waiting first.
    public var acts: Section<Entry<DigestAct>>
    /// Soonest first.
    public var expiring: Section<Entry<DigestExpiry>>
    /// The month's plan against fact: the person's own (morning), the department's (weekly).
    public var plan: PlanFulfillment?
    /// Weekly: the managers furthest behind their plan.
    public var managerPlans: Section<ManagerPlan>
    /// Weekly: the department's receivables.
    public var receivablesBalance: Int64?
    public var receivablesOverdue: Int64?

    /// Nothing needs attention and there is no plan to report: no message is sent.
    public var isEmpty: Bool {
        limits.isEmpty && overdue.isEmpty && rhythm.isEmpty && acts.isEmpty && expiring.isEmpty && (plan?.planMinor ?? 0) == 0
    }
}

extension NotificationDigest {
    /// How many of each list the head's weekly digest names.
    public static let weeklyWorst = 5

    /// A manager's morning digest over the dealers he manages or serves; nil when there is nothing
    /// to say. The head of sales has the weekly digest instead.
    public static func morning(for manager: Manager, facts: DigestFacts) -> NotificationDigest? {
        guard manager.active, manager.role != .head else { return nil }
        let mine = facts.dealers.filter { $0.value.managerID == manager.id || $0.value.serviceSpecialistID == manager.id }
        let digest = compose(.morning, for: manager.id, dealers: mine, facts: facts, keep: nil, plan: facts.plans[manager.id])
        return digest.isEmpty ? nil : digest
    }

    /// The head of sales' weekly digest over the department; nil when there is nothing to say.
    public static func weekly(for head: Manager, managers: [Manager], facts: DigestFacts) -> NotificationDigest? {
        guard head.active, head.role == .head else { return nil }
        var total: PlanFulfillment?
        for plan in facts.plans.values {
            if total == nil { total = PlanFulfillment(forecastMinor: plan.forecastMinor == nil ? nil : 0) }
            total?.add(plan)
        }
        var digest = compose(.weekly, for: head.id, dealers: facts.dealers, facts: facts, keep: weeklyWorst, plan: total)
        let names = Dictionary(managers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let plans = facts.plans.compactMap { id, plan -> ManagerPlan? in
            guard plan.planMinor > 0, let name = names[id] else { return nil }
            return ManagerPlan(managerID: id, name: name, plan: plan)
        }.sorted { lhs, rhs in
            let left = lhs.plan.fulfillmentPercent ?? 0
            let right = rhs.plan.fulfillmentPercent ?? 0
            return left != right ? left < right : lhs.name < rhs.name
        }
        digest.managerPlans = Section(plans, keep: weeklyWorst)
        digest.receivablesBalance = facts.receivablesBalance
        digest.receivablesOverdue = facts.receivablesOverdue
        return digest.isEmpty && digest.receivablesBalance == 0 ? nil : digest
    }

    private static func compose(
        _ kind: Kind, for managerID: UUID, dealers: [UUID: DigestDealer], facts: DigestFacts, keep: Int?, plan: PlanFulfillment?
    ) -> NotificationDigest {
        func entries<Fact>(_ facts: [Fact], dealer: (Fact) -> UUID) -> [Entry<Fact>] {
            facts.compactMap { fact in dealers[dealer(fact)].map { Entry(dealer: $0, fact: fact) } }
        }
        let limits = entries(facts.credit.filter { $0.state != .ok }, dealer: \.dealerID).sorted { lhs, rhs in
            lhs.fact.isWorse(than: rhs.fact) ?? (lhs.dealer.code < rhs.dealer.code)
        }
        let overdue = entries(
            facts.credit.filter { $0.overdueState == .overdue && (kind == .weekly || facts.newlyOverdue.contains($0.dealerID)) },
            dealer: \.dealerID
        ).sorted { lhs, rhs in
            lhs.fact.overdue != rhs.fact.overdue ? lhs.fact.overdue > rhs.fact.overdue : lhs.dealer.code < rhs.dealer.code
        }
        let rhythm = entries(facts.rhythm.filter { $0.status == .late || $0.status == .broken }, dealer: \.dealerID).sorted { lhs, rhs in
            lhs.fact.isWorse(than: rhs.fact) ?? (lhs.dealer.code < rhs.dealer.code)
        }
        let acts = entries(facts.unansweredActs, dealer: \.dealerID).sorted { lhs, rhs in
            lhs.fact.daysWaiting != rhs.fact.daysWaiting ? lhs.fact.daysWaiting > rhs.fact.daysWaiting : lhs.fact.number < rhs.fact.number
        }
        let expiring = entries(facts.expiring, dealer: \.dealerID).sorted { lhs, rhs in
            lhs.fact.daysLeft != rhs.fact.daysLeft
                ? lhs.fact.daysLeft < rhs.fact.daysLeft
                : (lhs.dealer.code, lhs.fact.documentKind ?? "") < (rhs.dealer.code, rhs.fact.documentKind ?? "")
        }
        return NotificationDigest(
            kind: kind, managerID: managerID, day: facts.today, currency: facts.currency, limits: Section(limits, keep: keep),
            overdue: Section(overdue, keep: keep), rhythm: Section(rhythm, keep: keep), acts: Section(acts, keep: keep),
            expiring: Section(expiring, keep: keep), plan: plan, managerPlans: Section([]), receivablesBalance: nil, receivablesOverdue: nil)
    }
}

/// The days digests go out on: Monday to Friday in the company's calendar.
public enum DigestCalendar {
    public static func isWorkingDay(_ day: CivilDate) -> Bool { (1...5).contains(day.weekday) }

    /// The working day before `day`: the previous digest's morning (Friday's for a Monday).
    public static func previousWorkingDay(before day: CivilDate) -> CivilDate {
        var previous = day.adding(days: -1)
        while !isWorkingDay(previous) { previous = previous.adding(days: -1) }
        return previous
    }
}
