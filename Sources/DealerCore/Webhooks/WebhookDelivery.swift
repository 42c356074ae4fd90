import Foundation

/// Where a delivery of one event to one endpoint stands.
public enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for its first attempt or its next retry (possibly in flight at one replica).
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every retry of the schedule failed; `redeliver` or `recover` sends it again.
    case exhausted
    /// Not sent because the endpoint is disabled (it answered 410, failed for days, or an admin disabled
    /// it); kept so that `recover` sends it once the endpoint is back.
    case failed
}

/// One HTTP attempt of a delivery, as the delivery log shows it.
public struct WebhookAttempt: Sendable, Equatable, Encodable {
    public var number: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    /// The receiver's HTTP status; nil when no answer came (refused, timed out, TLS failure).
    public var statusCode: Int?
    public var error: String?
    /// The first kilobyte of the receiver's answer.
    public var response: String?

    public init(number: Int, startedAt: Date, durationMilliseconds: Int, statusCode: Int?, error: String?, response: String?) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.response = response
    }

    enum CodingKeys: String, CodingKey {
        case number, error, response
        case startedAt = "started_at"
        case durationMilliseconds = "duration_ms"
        case statusCode = "status_code"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(durationMilliseconds, forKey: .durationMilliseconds)
        try container.encode(statusCode, forKey: .statusCode)
        try container.encode(error, forKey: .error)
        try container.encode(response, forKey: .response)
    }
}

/// One event on its way to one endpoint, with every attempt made so far.
public struct WebhookDelivery: Sendable, Equatable, Encodable {
    public var id: UUID
    public var endpointID: UUID
    public var eventID: UUID
    public var eventType: EventType
    public var eventSequence: Int64
    public var dealerID: UUID?
    public var dealerSequence: Int64?
    public var status: WebhookDeliveryStatus
    public var attemptCount: Int
    public var nextAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var attempts: [WebhookAttempt]

    public init(
        id: UUID, endpointID: UUID, eventID: UUID, eventType: EventType, eventSequence: Int64, dealerID: UUID?,
        dealerSequence: Int64?, status: WebhookDeliveryStatus, attemptCount: Int, nextAttemptAt: Date?,
        lastStatusCode: Int?, lastError: String?, createdAt: Date, deliveredAt: Date?, attempts: [WebhookAttempt] = []
    ) {
        self.id = id
        self.endpointID = endpointID
        self.eventID = eventID
        self.eventType = eventType
        self.eventSequence = eventSequence
        self.dealerID = dealerID
        self.dealerSequence = dealerSequence
        self.status = status
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case id, status, attempts
        case endpointID = "endpoint_id"
        case eventID = "event_id"
        case eventType = "event_type"
        case eventSequence = "event_seq"
        case dealerID = "dealer_id"
        case dealerSequence = "dealer_seq"
        case attemptCount = "attempt_count"
        case nextAttemptAt = "next_attempt_at"
        case lastStatusCode = "last_status_code"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(endpointID.lowercased, forKey: .endpointID)
        try container.encode(eventID.lowercased, forKey: .eventID)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(eventSequence, forKey: .eventSequence)
        try container.encode(dealerID?.lowercased, forKey: .dealerID)
        try container.encode(dealerSequence, forKey: .dealerSequence)
        try container.encode(status, forKey: .status)
        try container.encode(attemptCount, forKey: .attemptCount)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(lastStatusCode, forKey: .lastStatusCode)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(deliveredAt, forKey: .deliveredAt)
        try container.encode(attempts, forKey: .attempts)
    }
}
