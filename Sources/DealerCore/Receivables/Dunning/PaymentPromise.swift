import Foundation

/// A dealer's word, recorded by its manager, that it will pay `amount` by `promisedOn`. While it
/// runs, payment reminders wait; the day after, it is kept or broken by what was paid.
public struct PaymentPromise: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Running: reminders wait until the day after `promisedOn`.
        case open
        /// Payments since it was made reached the amount (or nothing is owed any more).
        case kept
        /// The date passed with less paid: the manager is told.
        case broken
        /// Withdrawn by the manager (a mistake, a new arrangement).
        case cancelled
    }

    public var id: UUID
    public var dealerID: UUID
    public var amount: Money
    public var promisedOn: CivilDate
    /// The company's business date it was recorded on: payments from this day count towards it.
    public var madeOn: CivilDate
    public var note: String?
    public var madeBy: String
    public var status: Status
    /// What was paid towards it when it was settled.
    public var paid: Money?
    public var settledAt: Date?
    public var createdAt: Date

    public init(
        id: UUID, dealerID: UUID, amount: Money, promisedOn: CivilDate, madeOn: CivilDate, note: String?, madeBy: String,
        status: Status = .open, paid: Money? = nil, settledAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.dealerID = dealerID
        self.amount = amount
        self.promisedOn = promisedOn
        self.madeOn = madeOn
        self.note = note
        self.madeBy = madeBy
        self.status = status
        self.paid = paid
        self.settledAt = settledAt
        self.createdAt = createdAt
    }

    /// What becomes of an open promise on `today`, given the payments dated from `madeOn` on (only
    /// those up to `promisedOn` count) and the dealer's balance: kept as soon as they reach the
    /// amount or nothing is owed, broken once `promisedOn` has passed short of it, else still open.
    public func outcome(paid: Int64, balance: Int64, today: CivilDate) -> Status {
        guard status == .open else { return status }
        if paid >= amount.minorUnits || balance <= 0 { return .kept }
        return today > promisedOn ? .broken : .open
    }
}

/// A promise as the manager enters it, before it is checked.
public struct PaymentPromiseDraft: Sendable, Equatable {
    public var amount: String?
    public var date: String?
    public var note: String?

    public init(amount: String? = nil, date: String? = nil, note: String? = nil) {
        self.amount = amount
        self.date = date
        self.note = note
    }

    /// A promise in the dealer's contract currency, dated from `today` to `today + maxDays`.
    public func validated(
        id: UUID, dealerID: UUID, currency: Currency, today: CivilDate, maxDays: Int, madeBy: String, now: Date
    ) throws(ValidationError) -> PaymentPromise {
        var issues = ValidationCollector()
        var money: Money?
        if let text = amount?.trimmedNonEmpty {
            do {
                let value = try Money(parsing: text, currency: currency)
                if value.minorUnits <= 0 { issues.add("amount", "more than zero") } else { money = value }
            } catch {
                issues.add("amount", error.description)
            }
        } else {
            issues.add("amount", "required: the sum the dealer promises to pay, e.g. 150000.00")
        }
        var promisedOn: CivilDate?
        if let text = date?.trimmedNonEmpty {
            if let parsed = CivilDate(parsing: text) {
                if parsed < today {
                    issues.add("date", "in the past: a promise names today or a later day")
                } else if parsed.days(since: today) > maxDays {
                    issues.add("date", "more than \(maxDays) days ahead (receivables.dunning.max_promise_days)")
                } else {
                    promisedOn = parsed
                }
            } else {
                issues.add("date", "a date such as 2026-12-15 or 15.12.2026")
            }
        } else {
            issues.add("date", "required: the day the dealer promises to pay by")
        }
        let note = DealerRules.optionalText(note, field: "note", max: 2000, into: &issues)
        try issues.check()
        guard let money else { throw issues.unreachable("amount") }
        guard let promisedOn else { throw issues.unreachable("date") }
        return PaymentPromise(
            id: id, dealerID: dealerID, amount: money, promisedOn: promisedOn, madeOn: today, note: note, madeBy: madeBy, createdAt: now)
    }
}
