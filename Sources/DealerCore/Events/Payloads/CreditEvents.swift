import Foundation

/// `credit.limit_warning`, `credit.limit_breached`, `credit.limit_restored`, `credit.overdue` and
/// `credit.overdue_cleared`: a dealer's credit or overdue state moved (or a breach is still on, for a
/// reminder), with the figures that moved it. Amounts are decimal text in `currency`.
public struct CreditStateChanged: EventPayload {
    /// What noticed the change: a ledger write or policy change at once, or the daily scan as days pass.
    public enum Source: String, Sendable, Codable {
        case write, scan
    }

    public var dealerID: UUID
    public var code: String?
    /// Credit states (`ok`, `warning`, `breached`) or overdue states (`clear`, `overdue`).
    public var from: String
    public var to: String
    public var currency: String
    public var balance: String
    public var limit: String?
    public var overdue: String
    public var daysOverdue: Int
    public var asOf: CivilDate
    public var source: Source
    /// A repeated `credit.limit_breached` while the breach lasts (`credit.breach_reminder_hours`).
    public var reminder: Bool

    public init(
        dealerID: UUID, code: String?, from: String, to: String, balance: Money, limit: Money?, overdue: Money, daysOverdue: Int,
        asOf: CivilDate, source: Source, reminder: Bool = false
    ) {
        self.dealerID = dealerID
        self.code = code
        self.from = from
        self.to = to
        currency = balance.currency.code
        self.balance = balance.decimalString
        self.limit = limit?.decimalString
        self.overdue = overdue.decimalString
        self.daysOverdue = daysOverdue
        self.asOf = asOf
        self.source = source
        self.reminder = reminder
    }
}

/// `credit.shipment_blocked`: a credit check answered block.
public struct ShipmentBlocked: EventPayload {
    public var dealerID: UUID
    public var code: String
    public var requestedBy: String
    public var check: Check

    /// The check as `POST /v1/dealers/{id}/credit-check` answered it.
    public struct Check: Codable, Sendable, Equatable {
        public var decision: CreditDecision
        public var reasons: [CreditReason]
        public var currency: String
        public var balance: String
        public var openOrders: String
        public var requested: String
        public var exposure: String
        public var limit: String?
        public var availableAfter: String?
        public var overdue: String
        public var daysOverdue: Int

        public init(_ check: CreditCheck) {
            decision = check.decision
            reasons = check.reasons
            currency = check.requested.currency.code
            balance = check.balance.decimalString
            openOrders = check.openOrders.decimalString
            requested = check.requested.decimalString
            exposure = check.exposure.decimalString
            limit = check.limit?.decimalString
            availableAfter = check.availableAfter?.decimalString
            overdue = check.overdue.decimalString
            daysOverdue = check.daysOverdue
        }
    }

    public init(dealerID: UUID, code: String, requestedBy: String, check: CreditCheck) {
        self.dealerID = dealerID
        self.code = code
        self.requestedBy = requestedBy
        self.check = Check(check)
    }
}
