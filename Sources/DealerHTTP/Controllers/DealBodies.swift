import DealerCore
import DealerStore
import Foundation

/// A deal as the API serves it: the amount as decimal text, the stage with its title, and for a
/// deal in work how many days it has been at its stage.
struct DealBody: Encodable {
    var id: UUID
    var externalID: String
    var dealerID: UUID?
    var prospect: String?
    var managerID: UUID
    var amount: String
    var currency: String
    var stage: String
    var stageTitle: String
    var status: DealStatus
    var openedOn: CivilDate
    var closedOn: CivilDate?
    var reason: String?
    var stageSince: CivilDate
    var daysAtStage: Int?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ deal: Deal, settings: DealSettings, today: CivilDate) {
        id = deal.id
        externalID = deal.externalID
        dealerID = deal.dealerID
        prospect = deal.prospect
        managerID = deal.managerID
        amount = deal.amount.decimalString
        currency = deal.amount.currency.code
        stage = deal.stage
        stageTitle = settings.title(of: deal.stage)
        status = deal.status
        openedOn = deal.openedOn
        closedOn = deal.closedOn
        reason = deal.reason
        stageSince = deal.stageSince
        daysAtStage = deal.status == .open ? max(0, today.days(since: deal.stageSince)) : nil
        version = deal.version
        createdAt = deal.createdAt
        updatedAt = deal.updatedAt
    }
}

/// What one push did: the deal as stored and whether it was new, the same, or changed.
struct DealWriteBody: Encodable {
    var deal: DealBody
    var outcome: DealWriteOutcome

    init(_ result: DealWriteResult, settings: DealSettings, today: CivilDate) {
        deal = DealBody(result.deal, settings: settings, today: today)
        outcome = result.outcome
    }
}

/// What a batch did, deal by deal in the order sent, with the counts.
struct DealBatchBody: Encodable {
    struct Item: Encodable {
        var externalID: String
        var id: UUID
        var outcome: DealWriteOutcome
        var version: Int
    }

    var created: Int
    var updated: Int
    var unchanged: Int
    var results: [Item]

    init(_ results: [DealWriteResult]) {
        created = results.filter { $0.outcome == .created }.count
        updated = results.filter { $0.outcome == .updated }.count
        unchanged = results.filter { $0.outcome == .unchanged }.count
        self.results = results.map { Item(externalID: $0.deal.externalID, id: $0.deal.id, outcome: $0.outcome, version: $0.deal.version) }
    }
}

/// The funnel as the API serves it: amounts as decimal text in `currency`.
struct FunnelBody: Encodable {
    struct Stage: Encodable {
        var key: String
        var title: String
        var inWork: Int
        var inWorkAmount: String
        var reached: Int
        var conversionPercent: Decimal?
    }

    struct LostReason: Encodable {
        var reason: String
        var deals: Int
    }

    var period: String
    var end: CivilDate
    /// Whose deals: a manager's id, or null for the department.
    var managerID: UUID?
    var currency: String
    var stages: [Stage]
    var opened: Int
    var inWork: Int
    var inWorkAmount: String
    var won: Int
    var wonAmount: String
    var lost: Int
    var lostAmount: String
    var winRatePercent: Decimal?
    var averageDeal: String?
    var medianDaysToClose: Decimal?
    var lostReasons: [LostReason]

    init(_ funnel: Funnel, managerID: UUID?, currency: Currency) {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        period = funnel.period.description
        end = funnel.end
        self.managerID = managerID
        self.currency = currency.code
        stages = funnel.stages.map {
            Stage(
                key: $0.key, title: $0.title, inWork: $0.inWork, inWorkAmount: money($0.inWorkMinor), reached: $0.reached,
                conversionPercent: $0.conversionPercent)
        }
        opened = funnel.opened
        inWork = funnel.inWork
        inWorkAmount = money(funnel.inWorkMinor)
        won = funnel.won
        wonAmount = money(funnel.wonMinor)
        lost = funnel.lost
        lostAmount = money(funnel.lostMinor)
        winRatePercent = funnel.winRatePercent
        averageDeal = funnel.averageDealMinor.map(money)
        medianDaysToClose = funnel.medianDaysToClose
        lostReasons = funnel.lostReasons.map { LostReason(reason: $0.reason, deals: $0.deals) }
    }
}
