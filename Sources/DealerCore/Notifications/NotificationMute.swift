import Foundation

/// A person's own silence: no messages about this dealer, or of this event type, or both (both nil
/// is refused at input: that is unsubscribing, which an admin does by the rules).
public struct NotificationMute: Sendable, Hashable, Codable {
    public var managerID: UUID
    public var dealerID: UUID?
    public var eventType: EventType?

    public init(managerID: UUID, dealerID: UUID? = nil, eventType: EventType? = nil) {
        self.managerID = managerID
        self.dealerID = dealerID
        self.eventType = eventType
    }

    /// Whether this mute silences an event of `type` about `dealerID` for its manager.
    func silences(_ type: EventType, dealerID eventDealer: UUID?) -> Bool {
        if let eventType, eventType != type { return false }
        if let dealerID, dealerID != eventDealer { return false }
        return dealerID != nil || eventType != nil
    }
}
