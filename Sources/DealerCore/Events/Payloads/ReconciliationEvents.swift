import Foundation

/// `reconciliation.act_generated`: a new act, or a new version of one the ledger has outdated.
public struct ActGenerated: EventPayload {
    public var actID: UUID
    public var number: String
    public var dealerID: UUID
    public var code: String
    public var periodFrom: CivilDate
    public var periodTo: CivilDate
    public var version: Int
    public var previousID: UUID?
    public var reason: ActReason
    /// The closing balance, decimal text in the company's currency.
    public var closing: String
    /// Where the act and its printable forms are: `self`, `csv`, `html`.
    public var links: [String: String]

    public init(
        actID: UUID, number: String, dealerID: UUID, code: String, periodFrom: CivilDate, periodTo: CivilDate, version: Int,
        previousID: UUID?, reason: ActReason, closing: Money
    ) {
        self.actID = actID
        self.number = number
        self.dealerID = dealerID
        self.code = code
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.version = version
        self.previousID = previousID
        self.reason = reason
        self.closing = closing.decimalString
        let link = "/v1/reconciliation-acts/\(actID.lowercased)"
        links = ["self": link, "csv": link + "/act.csv", "html": link + "/act.html"]
    }
}

/// `reconciliation.act_confirmed` and `reconciliation.act_disputed`: the dealer answered an act.
public struct ActAnswered: EventPayload {
    public var actID: UUID
    public var number: String
    public var dealerID: UUID
    public var periodFrom: CivilDate
    public var periodTo: CivilDate
    /// Lines the dealer disputes (0 when confirmed).
    public var discrepancies: Int
    public var answeredBy: String

    public init(
        actID: UUID, number: String, dealerID: UUID, periodFrom: CivilDate, periodTo: CivilDate, discrepancies: Int, answeredBy: String
    ) {
        self.actID = actID
        self.number = number
        self.dealerID = dealerID
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.discrepancies = discrepancies
        self.answeredBy = answeredBy
    }
}

/// `reconciliation.act_overdue`: an act the dealer has not answered in time (once per act).
public struct ActOverdue: EventPayload {
    public var actID: UUID
    public var number: String
    public var dealerID: UUID
    public var code: String
    public var periodFrom: CivilDate
    public var periodTo: CivilDate
    public var generatedAt: Date
    public var answerWithinDays: Int

    public init(
        actID: UUID, number: String, dealerID: UUID, code: String, periodFrom: CivilDate, periodTo: CivilDate, generatedAt: Date,
        answerWithinDays: Int
    ) {
        self.actID = actID
        self.number = number
        self.dealerID = dealerID
        self.code = code
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.generatedAt = generatedAt
        self.answerWithinDays = answerWithinDays
    }
}
