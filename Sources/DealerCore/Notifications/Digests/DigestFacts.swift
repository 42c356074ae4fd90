import Foundation

/// A dealer as a digest names it, with the people it belongs to.
public struct DigestDealer: Sendable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var managerID: UUID?
    public var serviceSpecialistID: UUID?

    public init(id: UUID, code: String, name: String, managerID: UUID?, serviceSpecialistID: UUID?) {
        self.id = id
        self.code = code
        self.name = name
        self.managerID = managerID
        self.serviceSpecialistID = serviceSpecialistID
    }
}

/// A dealer's receivables against its limit, in minor units of its currency.
public struct DigestCredit: Sendable, Equatable {
    public var dealerID: UUID
    public var state: CreditState
    public var overdueState: OverdueState
    public var currency: Currency
    public var balance: Int64
    public var limit: Int64?
    public var overdue: Int64
    public var daysOverdue: Int

    public init(
        dealerID: UUID, state: CreditState, overdueState: OverdueState, currency: Currency, balance: Int64, limit: Int64?, overdue: Int64,
        daysOverdue: Int
    ) {
        self.dealerID = dealerID
        self.state = state
        self.overdueState = overdueState
        self.currency = currency
        self.balance = balance
        self.limit = limit
        self.overdue = overdue
        self.daysOverdue = daysOverdue
    }

    /// The share of the limit used, whole percent toward zero (as the receivables list shows it).
    public var utilisationPercent: Int? { limit.flatMap { ExactShare.percent(balance, of: $0) } }

    /// Worst first: over the limit before near it, then by the share used and the debt.
    public func isWorse(than other: DigestCredit) -> Bool? {
        let mine = (state == .breached ? 1 : 0, utilisationPercent ?? 0, balance)
        let theirs = (other.state == .breached ? 1 : 0, other.utilisationPercent ?? 0, other.balance)
        return mine == theirs ? nil : mine > theirs
    }
}

/// A dealer late or broken in its shipment rhythm.
public struct DigestRhythm: Sendable, Equatable {
    public var dealerID: UUID
    public var status: RhythmAssessment.Status
    public var daysLate: Int
    public var lastShipment: CivilDate?

    public init(dealerID: UUID, status: RhythmAssessment.Status, daysLate: Int, lastShipment: CivilDate?) {
        self.dealerID = dealerID
        self.status = status
        self.daysLate = daysLate
        self.lastShipment = lastShipment
    }

    /// Worst first: broken before late, then by days late.
    public func isWorse(than other: DigestRhythm) -> Bool? {
        let mine = (status == .broken ? 1 : 0, daysLate)
        let theirs = (other.status == .broken ? 1 : 0, other.daysLate)
        return mine == theirs ? nil : mine > theirs
    }
}

/// A reconciliation act the dealer has not answered within the deadline.
public struct DigestAct: Sendable, Equatable {
    public var actID: UUID
    public var dealerID: UUID
    public var number: String
    public var periodTo: CivilDate
    public var generatedOn: CivilDate
    /// Days since it was made, counted in the company's days.
    public var daysWaiting: Int

    public init(actID: UUID, dealerID: UUID, number: String, periodTo: CivilDate, generatedOn: CivilDate, daysWaiting: Int) {
        self.actID = actID
        self.dealerID = dealerID
        self.number = number
        self.periodTo = periodTo
        self.generatedOn = generatedOn
        self.daysWaiting = daysWaiting
    }
}

/// An accreditation, or a document it was granted on, that runs out soon.
public struct DigestExpiry: Sendable, Equatable {
    public var dealerID: UUID
    /// The document's kind; nil: the accreditation itself.
    public var documentKind: String?
    public var lastValidDay: CivilDate
    public var daysLeft: Int

    public init(dealerID: UUID, documentKind: String?, lastValidDay: CivilDate, daysLeft: Int) {
        self.dealerID = dealerID
        self.documentKind = documentKind
        self.lastValidDay = lastValidDay
        self.daysLeft = daysLeft
    }
}

/// What the store knows on a digest's morning, across the whole department: the digests pick each
/// person's part of it.
public struct DigestFacts: Sendable, Equatable {
    public var today: CivilDate
    public var currency: Currency
    public var dealers: [UUID: DigestDealer]
    /// Dealers over or near their limit, or overdue (the rest are fine and not listed).
    public var credit: [DigestCredit]
    /// Dealers that became overdue since the previous digest (an overdue alert that was not a reminder).
    public var newlyOverdue: Set<UUID>
    public var rhythm: [DigestRhythm]
    public var unansweredActs: [DigestAct]
    public var expiring: [DigestExpiry]
    /// This month's plan against fact, by manager (dealers without a manager are not anyone's).
    public var plans: [UUID: PlanFulfillment]
    /// The department's receivables: every dealer's balance and overdue debt in the company's currency.
    public var receivablesBalance: Int64
    public var receivablesOverdue: Int64

    public init(
        today: CivilDate, currency: Currency, dealers: [UUID: DigestDealer] = [:], credit: [DigestCredit] = [], newlyOverdue: Set<UUID> = [],
        rhythm: [DigestRhythm] = [], unansweredActs: [DigestAct] = [], expiring: [DigestExpiry] = [], plans: [UUID: PlanFulfillment] = [:],
        receivablesBalance: Int64 = 0, receivablesOverdue: Int64 = 0
    ) {
        self.today = today
        self.currency = currency
        self.dealers = dealers
        self.credit = credit
        self.newlyOverdue = newlyOverdue
        self.rhythm = rhythm
        self.unansweredActs = unansweredActs
        self.expiring = expiring
        self.plans = plans
        self.receivablesBalance = receivablesBalance
        self.receivablesOverdue = receivablesOverdue
    }
}
