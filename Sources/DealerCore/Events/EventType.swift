import Foundation

/// Everything dealerd tells the outside world about. Names are `entity.what_happened`.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case dealerCreated = "dealer.created"
    case dealerUpdated = "dealer.updated"
    case dealerStatusChanged = "dealer.status_changed"
    case managerCreated = "manager.created"
    case managerUpdated = "manager.updated"
    case accreditationDecided = "accreditation.decided"
    case accreditationExpiring = "accreditation.expiring"
    /// An accreditation ran out (and the dealer was suspended, per config), or a required document did.
    case accreditationExpired = "accreditation.expired"
    case creditLimitWarning = "credit.limit_warning"
    case creditLimitBreached = "credit.limit_breached"
    case creditLimitRestored = "credit.limit_restored"
    case creditOverdue = "credit.overdue"
    case creditOverdueCleared = "credit.overdue_cleared"
    case creditShipmentBlocked = "credit.shipment_blocked"
    /// A payment reminder to the dealer's accounting: documents reaching a `receivables.dunning` level.
    case creditPaymentReminder = "credit.payment_reminder"
    /// A promise to pay was met by its date (or the debt was cleared).
    case creditPromiseKept = "credit.promise_kept"
    /// A promise to pay passed its date short of the amount: reminders resume and the manager is told.
    case creditPromiseBroken = "credit.promise_broken"
    case rhythmLate = "rhythm.late"
    case rhythmRestored = "rhythm.restored"
    /// The month's run-rate forecast fell under the configured share of the plan (once a month).
    case planBehind = "plan.behind"
    case reconciliationActGenerated = "reconciliation.act_generated"
    case reconciliationActConfirmed = "reconciliation.act_confirmed"
    case reconciliationActDisputed = "reconciliation.act_disputed"
    /// An act the dealer has not answered within `reconciliation.answer_within_days` (once per act).
    case reconciliationActOverdue = "reconciliation.act_overdue"
    /// A period's KPI scorecards were closed: frozen records to pay the bonus on.
    case kpiPeriodClosed = "kpi.period_closed"
    /// A deal the CRM pushed was won, or lost (with the reason).
    case dealWon = "deal.won"
    case dealLost = "deal.lost"
    /// A deal in work sat at one stage for `deals.stall_days` (once per stage).
    case dealStalled = "deal.stalled"
    case jobFailed = "job.failed"
    case webhookEndpointDisabled = "webhook.endpoint_disabled"
    /// Sent to one endpoint by `POST /v1/webhooks/endpoints/{id}/test`; never in the feed.
    case webhookPing = "webhook.ping"
}

/// A fact that happened, written to the outbox in the same transaction as the change itself.
public struct DomainEvent: Sendable, Equatable {
    public var id: UUID
    public var type: EventType
    public var occurredAt: Date
    /// The dealer it concerns, when there is one: consumers keep per-dealer order by it.
    public var dealerID: UUID?
    public var data: JSONValue

    public init(id: UUID = UUID(), type: EventType, occurredAt: Date, dealerID: UUID? = nil, data: JSONValue) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.dealerID = dealerID
        self.data = data
    }
}

/// An event as the feed serves it: the stored event and its position in the feed.
public struct StoredEvent: Sendable, Equatable {
    /// Position in the feed, strictly increasing in commit order.
    public var sequence: Int64
    /// The event's number among its dealer's events (1, 2, 3 …), nil for events about no dealer.
    public var dealerSequence: Int64?
    public var event: DomainEvent

    public init(sequence: Int64, dealerSequence: Int64? = nil, event: DomainEvent) {
        self.sequence = sequence
        self.dealerSequence = dealerSequence
        self.event = event
    }
}
