import Foundation

/// The body of a webhook request per the Standard Webhooks specification (`type`, `timestamp`,
/// `data`), with the event's id and, for events about a dealer, the dealer and its event number so a
/// receiver can check order and notice a gap.
public enum WebhookPayload {
    public static func body(of stored: StoredEvent) -> [UInt8] {
        var object: [String: JSONValue] = [
            "id": .string(stored.event.id.lowercased),
            "type": .string(stored.event.type.rawValue),
            "timestamp": .string(Timestamp.format(stored.event.occurredAt)),
            "data": stored.event.data,
        ]
        if let dealer = stored.event.dealerID { object["dealer_id"] = .string(dealer.lowercased) }
        if let number = stored.dealerSequence { object["dealer_seq"] = .number(Decimal(number)) }
        return Array(DealerJSON.string(of: JSONValue.object(object)).utf8)
    }
}
