import Foundation

/// What an event says: one `Codable` type per event type (`EventType.payloadType`), written to the
/// outbox in dealerd's JSON convention (`JSONValueEncoder`) and read back by whoever reacts to it.
/// The OpenAPI document describes each one under `webhooks`; a test checks an example of every
/// event type against that description.
public protocol EventPayload: Codable, Sendable, Equatable {
    static func decoded(from data: JSONValue) throws -> Self
}

extension EventPayload {
    public static func decoded(from data: JSONValue) throws -> Self { try JSONValueDecoder().decode(Self.self, from: data) }
}

extension EventType {
    /// The payload each event type carries. A new event type does not compile until it has one.
    public var payloadType: any EventPayload.Type {
        switch self {
        case .dealerCreated: Dealer.self
        case .dealerUpdated: DealerUpdated.self
        case .dealerStatusChanged: DealerStatusChanged.self
        case .managerCreated, .managerUpdated: Manager.self
        case .accreditationDecided: AccreditationDecided.self
        case .accreditationExpiring, .accreditationExpired: ExpiryNotice.self
        case .creditLimitWarning, .creditLimitBreached, .creditLimitRestored, .creditOverdue, .creditOverdueCleared:
            CreditStateChanged.self
        case .creditShipmentBlocked: ShipmentBlocked.self
        case .creditPaymentReminder: PaymentReminder.self
        case .creditPromiseKept, .creditPromiseBroken: PromiseSettled.self
        case .rhythmLate, .rhythmRestored: RhythmChanged.self
        case .planBehind: PlanBehind.self
        case .reconciliationActGenerated: ActGenerated.self
        case .reconciliationActConfirmed, .reconciliationActDisputed: ActAnswered.self
        case .reconciliationActOverdue: ActOverdue.self
        case .kpiPeriodClosed: PeriodClosed.self
        case .dealWon, .dealLost: DealClosed.self
        case .dealStalled: DealStalled.self
        case .jobFailed: JobFailed.self
        case .webhookEndpointDisabled: EndpointDisabled.self
        case .webhookPing: WebhookPing.self
        }
    }
}

/// An event built with a payload of another type than its event type carries: a programming error
/// caught before the transaction commits, not a trap.
public struct EventPayloadMismatch: Error, CustomStringConvertible {
    public var type: EventType
    public var payload: String
    public var description: String { "event \(type.rawValue) carries \(type.payloadType), not \(payload)" }
}

extension DomainEvent {
    /// An event whose data is `payload`, checked to be the type `type` carries.
    public init<Payload: EventPayload>(
        id: UUID = UUID(), type: EventType, occurredAt: Date, dealerID: UUID? = nil, payload: Payload
    ) throws {
        guard type.payloadType == Payload.self else {
            throw EventPayloadMismatch(type: type, payload: String(describing: Payload.self))
        }
        self.init(id: id, type: type, occurredAt: occurredAt, dealerID: dealerID, data: try JSONValueEncoder().encode(payload))
    }

    /// The data read as the payload its type carries.
    public func payload() throws -> any EventPayload {
        try type.payloadType.decoded(from: data)
    }

    /// The data read as `Payload`; an event of another type is a mismatch.
    public func payload<Payload: EventPayload>(as: Payload.Type) throws -> Payload {
        guard type.payloadType == Payload.self else {
            throw EventPayloadMismatch(type: type, payload: String(describing: Payload.self))
        }
        return try JSONValueDecoder().decode(Payload.self, from: data)
    }
}

extension Dealer: EventPayload {}
extension Manager: EventPayload {}
