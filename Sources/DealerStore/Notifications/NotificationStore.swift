import DealerCore
import Foundation
import SQLKit

/// The notification outbox: events fanned out to messages for people, claimed and sent by the
/// dispatchers, and the log people and operators read. A feature store over the shared database.
public struct NotificationStore: Sendable {
    let database: any StoreDatabase
    public let clock: any NowProvider
    /// The company's day, for what a message tells of (a reminder's documents still owed today).
    let calendar: CompanyCalendar
    /// Rings after each commit that appended events: new messages may be due.
    public let commits: CommitSignal

    public init(_ store: Store) {
        database = store.database
        clock = store.clock
        calendar = store.calendar
        commits = store.commits
    }

    /// The columns every message is written with, by the fan-out and by the digests alike.
    static let insertColumns = """
        id, event_seq, event_id, event_type, dealer_id, rule, channel, recipient_kind, manager_id, recipient_name, address, subject,
        body_text, body_html, attachments, urgent, status, attempts, cycle_attempts, not_before, next_attempt_at, created_at, updated_at
        """

    static let columns = """
        n.seq, n.id, n.event_id, n.event_type, n.dealer_id, n.rule, n.channel, n.recipient_kind, n.manager_id, n.recipient_name,
        n.address, n.subject, n.body_text, n.body_html, n.attachments, n.urgent, n.status, n.attempts, n.cycle_attempts, n.not_before,
        n.next_attempt_at, n.last_error, n.sent_at, n.created_at
        """

    static func decode(_ row: any SQLRow) throws -> NotificationMessage {
        NotificationMessage(
            id: try row.decode(column: "id", as: UUID.self),
            eventID: try row.decode(column: "event_id", as: UUID?.self),
            eventType: try row.decode(column: "event_type", as: String?.self).flatMap(EventType.init(rawValue:)),
            dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
            rule: try row.decode(column: "rule", as: String.self),
            channel: try row.enumeration("channel", as: NotificationChannel.self),
            recipient: try decodeRecipient(row),
            subject: try row.decode(column: "subject", as: String.self),
            text: Self.readable(
                rule: try row.decode(column: "rule", as: String.self), text: try row.decode(column: "body_text", as: String.self)),
            urgent: try row.decode(column: "urgent", as: Bool.self),
            status: try row.enumeration("status", as: NotificationStatus.self),
            attempts: [],
            notBefore: try row.instant("not_before"),
            nextAttemptAt: try row.optionalInstant("next_attempt_at"),
            lastError: try row.decode(column: "last_error", as: String?.self),
            sentAt: try row.optionalInstant("sent_at"),
            createdAt: try row.instant("created_at"))
    }

    static func decodeRecipient(_ row: any SQLRow) throws -> NotificationRecipient {
        NotificationRecipient(
            kind: try row.enumeration("recipient_kind", as: NotificationRecipient.Kind.self),
            managerID: try row.decode(column: "manager_id", as: UUID?.self),
            name: try row.decode(column: "recipient_name", as: String?.self),
            address: try row.decode(column: "address", as: String.self))
    }
}

extension NotificationStore {
    /// Letters of rules named `console.*` carry a one-time sign-in link: the log shows that one was
    /// sent, never the link, so no reader of the log can sign in as its addressee.
    /// Likewise the link in an act's letter, which answers the act as its addressee: the log keeps
    /// the path and hides the code.
    static func readable(rule: String, text: String) -> String {
        guard !rule.hasPrefix(letterRulePrefix) else { return "(одноразовая ссылка для входа скрыта)" }
        return text.replacing(/\/act-answer\/[A-Za-z0-9_-]+/, with: "/act-answer/…")
    }

    public static let letterRulePrefix = "console."
}
