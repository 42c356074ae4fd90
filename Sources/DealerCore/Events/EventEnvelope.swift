import Foundation

/// The one shape an event travels in, in the feed (`GET /v1/events`) and in a webhook's body alike:
/// `seq`, `id`, `type`, `occurred_at`, `dealer_id`, `dealer_seq` (null for events about no dealer)
/// and `data`, the payload its type carries (`EventType.payloadType`).
public enum EventEnvelope {
    public static func json(of stored: StoredEvent) -> JSONValue {
        .object(members(of: stored))
    }

    /// A webhook's body: the envelope, plus `timestamp`, the name webhooks used for `occurred_at`
    /// before the two agreed. It stays for one version (see the README) and then goes.
    public static func webhookJSON(of stored: StoredEvent) -> JSONValue {
        var members = members(of: stored)
        members["timestamp"] = members["occurred_at"]
        return .object(members)
    }

    private static func members(of stored: StoredEvent) -> [String: JSONValue] {
        [
            "seq": .number(Decimal(stored.sequence)),
            "id": .string(stored.event.id.lowercased),
            "type": .string(stored.event.type.rawValue),
            "occurred_at": .string(Timestamp.format(stored.event.occurredAt)),
            "dealer_id": stored.event.dealerID.map { .string($0.lowercased) } ?? .null,
            "dealer_seq": stored.dealerSequence.map { .number(Decimal($0)) } ?? .null,
            "data": stored.event.data,
        ]
    }
}
