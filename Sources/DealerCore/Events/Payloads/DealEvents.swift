import Foundation

/// `deal.won` and `deal.lost`: a deal the CRM pushed closed. The amount is decimal text in
/// `currency`.
public struct DealClosed: EventPayload {
    public var dealID: UUID
    public var externalID: String
    public var dealerID: UUID?
    public var prospect: String?
    public var managerID: UUID
    public var amount: String
    public var currency: String
    /// The stage it closed at.
    public var stage: String
    public var status: DealStatus
    public var openedOn: CivilDate
    public var closedOn: CivilDate
    public var daysToClose: Int
    /// Why it was lost, or a note on the win.
    public var reason: String?

    public init(_ deal: Deal) {
        dealID = deal.id
        externalID = deal.externalID
        dealerID = deal.dealerID
        prospect = deal.prospect
        managerID = deal.managerID
        amount = deal.amount.decimalString
        currency = deal.amount.currency.code
        stage = deal.stage
        status = deal.status
        openedOn = deal.openedOn
        closedOn = deal.closedOn ?? deal.openedOn
        daysToClose = deal.daysToClose ?? 0
        reason = deal.reason
    }
}

/// `deal.stalled`: a deal in work sat at one stage for `deals.stall_days` days (once per stage it
/// sits at; moving it on and back counts afresh).
public struct DealStalled: EventPayload {
    public var dealID: UUID
    public var externalID: String
    public var dealerID: UUID?
    public var prospect: String?
    public var managerID: UUID
    public var amount: String
    public var currency: String
    public var stage: String
    public var stageTitle: String
    /// The day it came to the stage, and how many days ago that was.
    public var since: CivilDate
    public var days: Int

    public init(_ deal: Deal, stageTitle: String, today: CivilDate) {
        dealID = deal.id
        externalID = deal.externalID
        dealerID = deal.dealerID
        prospect = deal.prospect
        managerID = deal.managerID
        amount = deal.amount.decimalString
        currency = deal.amount.currency.code
        stage = deal.stage
        self.stageTitle = stageTitle
        since = deal.stageSince
        days = today.days(since: deal.stageSince)
    }
}
