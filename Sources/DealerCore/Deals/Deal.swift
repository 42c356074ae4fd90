import Foundation

/// Where a deal stands: in work at one of the configured stages, or closed, won or lost.
public enum DealStatus: String, Sendable, Codable, CaseIterable {
    case open
    case won
    case lost
}

/// A sale in the making as the CRM or ERP pushes it (its latest version): with a dealer or a
/// prospect not yet in dealerd, owned by a manager, at a stage of the funnel (`DealSettings`).
public struct Deal: Sendable, Equatable {
    public var id: UUID
    /// The CRM's id: pushing it again is idempotent, and a changed deal is its next version.
    public var externalID: String
    public var dealerID: UUID?
    /// Who the deal is with when it is no dealer yet (a company name from the CRM).
    public var prospect: String?
    public var managerID: UUID
    public var amount: Money
    /// The stage it is at, or was at when it closed.
    public var stage: String
    public var status: DealStatus
    public var openedOn: CivilDate
    /// The day it was won or lost; nil while open.
    public var closedOn: CivilDate?
    /// Why it was lost (required then), or a note on the win.
    public var reason: String?
    /// The day it came to its stage as dealerd saw it: its first push, or the push that moved it.
    /// `deal.stalled` counts from here.
    public var stageSince: CivilDate
    /// 1 when first stored, +1 with each change.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, externalID: String, dealerID: UUID?, prospect: String?, managerID: UUID, amount: Money, stage: String,
        status: DealStatus, openedOn: CivilDate, closedOn: CivilDate?, reason: String?, stageSince: CivilDate, version: Int = 1,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.externalID = externalID
        self.dealerID = dealerID
        self.prospect = prospect
        self.managerID = managerID
        self.amount = amount
        self.stage = stage
        self.status = status
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.reason = reason
        self.stageSince = stageSince
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The same deal as the CRM sees it (ids, versions, times and the stage's day aside): what
    /// idempotency compares.
    public func sameContent(as other: Deal) -> Bool {
        dealerID == other.dealerID && prospect == other.prospect && managerID == other.managerID && amount == other.amount
            && stage == other.stage && status == other.status && openedOn == other.openedOn && closedOn == other.closedOn
            && reason == other.reason
    }

    /// Days from opening to closing; nil while open.
    public var daysToClose: Int? { closedOn.map { $0.days(since: openedOn) } }

    /// Whether it was in work on `day`: opened by then and not closed before it ended.
    public func inWork(on day: CivilDate) -> Bool {
        guard openedOn <= day else { return false }
        guard let closedOn else { return true }
        return closedOn > day
    }
}

/// The funnel's stages in order and when a deal counts as stalled: `deals` in the config.
public struct DealSettings: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var key: String
        /// As people read it: `Коммерческое предложение`.
        public var title: String

        public init(key: String, title: String) {
            self.key = key
            self.title = title
        }
    }

    public var stages: [Stage]
    /// A deal this many days at one stage is stalled: `deal.stalled`, once per stage it sits at.
    public var stallDays: Int

    public init(stages: [Stage] = DealSettings.defaultStages, stallDays: Int = 14) {
        self.stages = stages
        self.stallDays = stallDays
    }

    public static let defaultStages = [
        Stage(key: "lead", title: "Первичный контакт"), Stage(key: "qualified", title: "Потребность выявлена"),
        Stage(key: "proposal", title: "Коммерческое предложение"), Stage(key: "negotiation", title: "Переговоры"),
        Stage(key: "contract", title: "Договор"),
    ]

    /// The stage's place in the funnel; nil for a key the config no longer has.
    public func index(of key: String) -> Int? { stages.firstIndex { $0.key == key } }

    public func title(of key: String) -> String { stages.first { $0.key == key }?.title ?? key }
}
