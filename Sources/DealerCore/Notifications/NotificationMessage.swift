import Foundation

/// Where a message stands in the notification outbox.
public enum NotificationStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting for quiet hours to end, its first attempt or its next retry.
    case pending
    /// Accepted by the mail server or the Bot API.
    case sent
    /// Every retry failed, or the address was refused for good; redeliver sends it again.
    case exhausted
    /// Taken back before it went out, because what it told of no longer holds (a payment reminder
    /// for documents paid meanwhile); the reason is its last error.
    case withdrawn
}

/// One message to one person by one channel, as rendered when its event was fanned out, with its
/// attempts: what the delivery log shows.
public struct NotificationMessage: Sendable, Equatable, Codable {
    public struct Attempt: Sendable, Equatable, Codable {
        public var number: Int
        public var startedAt: Date
        public var durationMs: Int
        public var error: String?
        /// The server's answer (the SMTP reply, the Bot API's description).
        public var response: String?

        public init(number: Int, startedAt: Date, durationMs: Int, error: String?, response: String?) {
            self.number = number
            self.startedAt = startedAt
            self.durationMs = durationMs
            self.error = error
            self.response = response
        }
    }

    public var id: UUID
    public var eventID: UUID?
    public var eventType: EventType?
    public var dealerID: UUID?
    public var rule: String
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    public var subject: String
    public var text: String
    public var urgent: Bool
    public var status: NotificationStatus
    public var attempts: [Attempt]
    public var notBefore: Date
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var sentAt: Date?
    public var createdAt: Date

    public init(
        id: UUID, eventID: UUID?, eventType: EventType?, dealerID: UUID?, rule: String, channel: NotificationChannel,
        recipient: NotificationRecipient, subject: String, text: String, urgent: Bool, status: NotificationStatus, attempts: [Attempt],
        notBefore: Date, nextAttemptAt: Date?, lastError: String?, sentAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.eventID = eventID
        self.eventType = eventType
        self.dealerID = dealerID
        self.rule = rule
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.urgent = urgent
        self.status = status
        self.attempts = attempts
        self.notBefore = notBefore
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
        self.createdAt = createdAt
    }
}

/// A message as rendered from its template: the subject (e-mail), the plain text, and the HTML
/// (the e-mail's second part, or Telegram's formatted text).
public struct RenderedMessage: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String?

    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
