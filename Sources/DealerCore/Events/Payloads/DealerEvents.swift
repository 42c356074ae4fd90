import Foundation

/// `dealer.updated`: the card after the change and the members that changed.
public struct DealerUpdated: EventPayload {
    public var dealer: Dealer
    public var changedFields: [String]

    public init(dealer: Dealer, changedFields: [String]) {
        self.dealer = dealer
        self.changedFields = changedFields
    }
}

/// `dealer.status_changed`: a move along the lifecycle, by a person or by an accreditation's outcome.
public struct DealerStatusChanged: EventPayload {
    public var dealerID: UUID
    public var code: String
    public var from: DealerStatus
    public var to: DealerStatus
    public var reason: String
    /// The key's name, `cli`, or the job that made the move.
    public var actor: String

    public init(dealerID: UUID, code: String, from: DealerStatus, to: DealerStatus, reason: String, actor: String) {
        self.dealerID = dealerID
        self.code = code
        self.from = from
        self.to = to
        self.reason = reason
        self.actor = actor
    }
}
