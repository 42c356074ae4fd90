import Foundation

/// `credit.payment_reminder`: a reminder to the dealer's accounting about documents coming due or
/// overdue, one level of `receivables.dunning.levels` each, with the dealer's position beside them.
public struct PaymentReminder: EventPayload {
    public var dealerID: UUID
    public var code: String
    /// The highest level among the documents, in days from the due date (negative: before it).
    public var level: Int
    public var stage: DunningStage
    public var asOf: CivilDate
    public var currency: String
    public var documents: [DunningDocument]
    /// The open part of the documents listed.
    public var total: String
    public var balance: String
    public var overdue: String
    public var limit: String?
    /// What the dealer may still take on credit (the limit less the balance, not below zero).
    public var available: String?

    public init(
        notice: DunningNotice, code: String, asOf: CivilDate, balance: Money, overdue: Money, limit: Money?
    ) {
        dealerID = notice.dealerID
        self.code = code
        level = notice.level
        stage = notice.stage
        self.asOf = asOf
        currency = balance.currency.code
        documents = notice.documents
        total = Money(minorUnits: notice.listedOpen, currency: balance.currency).decimalString
        self.balance = balance.decimalString
        self.overdue = overdue.decimalString
        self.limit = limit?.decimalString
        available = limit.map {
            Money(minorUnits: max(0, $0.minorUnits.saturating(subtracting: balance.minorUnits)), currency: balance.currency).decimalString
        }
    }
}

/// `credit.promise_kept` and `credit.promise_broken`: a promise to pay was settled by what the
/// dealer paid by its date.
public struct PromiseSettled: EventPayload {
    public var promiseID: UUID
    public var dealerID: UUID
    public var code: String
    public var currency: String
    public var amount: String
    public var paid: String
    public var promisedOn: CivilDate
    public var madeOn: CivilDate
    public var madeBy: String
    public var note: String?
    public var balance: String
    public var overdue: String

    public init(promise: PaymentPromise, code: String, paid: Money, balance: Money, overdue: Money) {
        promiseID = promise.id
        dealerID = promise.dealerID
        self.code = code
        currency = promise.amount.currency.code
        amount = promise.amount.decimalString
        self.paid = paid.decimalString
        promisedOn = promise.promisedOn
        madeOn = promise.madeOn
        madeBy = promise.madeBy
        note = promise.note
        self.balance = balance.decimalString
        self.overdue = overdue.decimalString
    }
}
