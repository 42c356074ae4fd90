/// How a message reaches a person.
public enum NotificationChannel: String, Sendable, Codable, CaseIterable {
    case email
    /// Through the Bot API, to a chat the person linked.
    case telegram
}
