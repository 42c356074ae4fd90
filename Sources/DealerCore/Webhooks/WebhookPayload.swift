import Foundation

/// The body of a webhook request: the event's envelope (`EventEnvelope`), which also meets the
/// Standard Webhooks specification's `type`, `timestamp` and `data`, with the event's id and, for
/// events about a dealer, the dealer and its event number so a receiver can check order and notice
/// a gap.
public enum WebhookPayload {
    public static func body(of stored: StoredEvent) -> [UInt8] {
        Array(DealerJSON.string(of: EventEnvelope.webhookJSON(of: stored)).utf8)
    }
}
