import DealerCore
import Foundation
import SQLKit

/// A message claimed by a dispatcher: everything needed to send it without another query.
public struct NotificationDispatch: Sendable {
    public var id: UUID
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    public var subject: String
    public var text: String
    public var html: String?
    public var eventType: EventType?
    public var dealerID: UUID?
    /// Files the letter carries, made when it is sent.
    public var attachments: [NotificationAttachment]
    /// The number this attempt gets in the log.
    public var attemptNumber: Int
    /// Failed attempts since the retry schedule last started (a redeliver restarts it).
    public var cycleFailures: Int
    /// When the event happened (or the message was made): the start of its commit-to-attempt lag.
    public var createdAt: Date
}

/// How an attempt went, as the channel reports it.
public enum NotificationOutcome: Sendable, Equatable {
    /// The server took the message; its id or answer, if it gave one.
    case sent(response: String?)
    /// A failure worth retrying (connection, timeout, 4xx of SMTP, 429 or 5xx of the Bot API).
    case failed(error: String)
    /// Refused for good (no such mailbox, the chat blocked the bot): no retries.
    case refused(error: String)
}

extension NotificationStore {
    /// Claims up to `limit` due messages of `channels` for `owner` until the lease runs out. A message
    /// whose lease ran out (its replica died mid-attempt) is due again, and the lost attempt is
    /// logged as having no recorded outcome.
    public func claimDue(
        owner: String, lease: TimeInterval, limit: Int, channels: Set<NotificationChannel>
    ) async throws
        -> [NotificationDispatch]
    {
        guard !channels.isEmpty else { return [] }
        let flavor = database.flavor
        return try await database.transaction { sql in
            // Read once the connection is ours, so a wait for a busy pool cannot write a spent lease.
            let now = clock.now()
            let rows = try await sql.raw(
                """
                SELECT n.id, n.event_id, n.channel, n.recipient_kind, n.manager_id, n.recipient_name, n.address, n.subject, n.body_text, n.body_html,
                       n.event_type, n.dealer_id, n.attachments, n.attempts, n.cycle_attempts, n.lease_owner, n.lease_expires_at, n.created_at
                FROM notifications n
                WHERE n.status = 'pending' AND n.next_attempt_at <= \(bind: now)
                  AND (n.lease_expires_at IS NULL OR n.lease_expires_at < \(bind: now))
                  AND n.channel IN (\(binds: channels.map(\.rawValue).sorted()))
                ORDER BY n.next_attempt_at, n.seq
                LIMIT \(literal: limit)\(unsafeRaw: flavor.claimLock(of: "n"))
                """
            ).all()
            guard !rows.isEmpty else { return [] }
            let expires = Timestamp.truncated(now.addingTimeInterval(lease))
            // A reminder that waited (quiet hours, retries) is asked again whether its debt still stands.
            let reminders = try rows.compactMap { row -> ClaimedReminder? in
                guard try row.decode(column: "event_type", as: String?.self) == EventType.creditPaymentReminder.rawValue,
                    let eventID = try row.decode(column: "event_id", as: UUID?.self),
                    let dealerID = try row.decode(column: "dealer_id", as: UUID?.self)
                else { return nil }
                return ClaimedReminder(id: try row.decode(column: "id", as: UUID.self), eventID: eventID, dealerID: dealerID)
            }
            let withdrawn = try await Self.withdrawals(of: reminders, today: CivilDate(now, in: calendar.timeZone), on: sql)
            var claimed: [NotificationDispatch] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let attempts = try row.decode(column: "attempts", as: Int.self)
                if try row.optionalInstant("lease_expires_at") != nil {
                    try await Self.log(
                        id,
                        NotificationMessage.Attempt(
                            number: attempts, startedAt: now, durationMs: 0,
                            error: "no outcome recorded: the replica sending it stopped or lost its lease; sending again", response: nil),
                        replica: try row.decode(column: "lease_owner", as: String?.self) ?? owner, on: sql)
                }
                if let withdrawal = withdrawn[id] {
                    try await Self.withdraw(id, withdrawal, now: now, on: sql)
                    continue
                }
                claimed.append(
                    NotificationDispatch(
                        id: id,
                        channel: try row.enumeration("channel", as: NotificationChannel.self),
                        recipient: try Self.decodeRecipient(row),
                        subject: try row.decode(column: "subject", as: String.self),
                        text: try row.decode(column: "body_text", as: String.self),
                        html: try row.decode(column: "body_html", as: String?.self),
                        eventType: try row.decode(column: "event_type", as: String?.self).flatMap(EventType.init(rawValue:)),
                        dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
                        // A list this version cannot read carries nothing rather than stopping the letter.
                        attachments: (try? DealerJSON.decoder().decode(
                            [NotificationAttachment].self, from: Data(try row.decode(column: "attachments", as: String.self).utf8))) ?? [],
                        attemptNumber: attempts + 1,
                        cycleFailures: try row.decode(column: "cycle_attempts", as: Int.self),
                        createdAt: try row.instant("created_at")))
                try await sql.raw(
                    """
                    UPDATE notifications SET lease_owner = \(bind: owner), lease_expires_at = \(bind: expires), attempts = \(bind: attempts + 1)
                    WHERE id = \(bind: id)
                    """
                ).run()
            }
            return claimed
        }
    }

    /// Records one attempt's outcome; `retryAt` is when to try again after a failure (nil: the
    /// schedule is used up). An attempt whose lease was lost meanwhile is logged but changes nothing.
    public func record(
        _ dispatch: NotificationDispatch, owner: String, outcome: NotificationOutcome, startedAt: Date, durationMs: Int, retryAt: Date?
    ) async throws {
        let now = clock.now()
        let flavor = database.flavor
        try await database.transaction { sql in
            let (error, response): (String?, String?) =
                switch outcome {
                case .sent(let response): (nil, response)
                case .failed(let error), .refused(let error): (error, nil)
                }
            try await Self.log(
                dispatch.id,
                NotificationMessage.Attempt(
                    number: dispatch.attemptNumber, startedAt: startedAt, durationMs: durationMs, error: error,
                    response: response.map { String($0.prefix(1024)) }),
                replica: owner, on: sql)
            guard
                try await sql.raw(
                    """
                    SELECT id FROM notifications
                    WHERE id = \(bind: dispatch.id) AND lease_owner = \(bind: owner) AND status = 'pending'\(unsafeRaw: flavor.rowLockForUpdate)
                    """
                ).first() != nil
            else { return }
            let common: SQLQueryString = """
                cycle_attempts = cycle_attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now)
                """
            switch outcome {
            case .sent(let response):
                try await sql.raw(
                    """
                    UPDATE notifications SET status = 'sent', sent_at = \(bind: now), next_attempt_at = NULL, last_error = NULL,
                        provider_id = \(bind: response.map { String($0.prefix(200)) }), \(common)
                    WHERE id = \(bind: dispatch.id)
                    """
                ).run()
                // The act the letter delivered is sent once the server has taken it.
                if let act = NotificationAttachment.deliveredAct(dispatch.attachments) {
                    try await sql.raw(
                        "UPDATE reconciliation_acts SET status = 'sent', sent_at = \(bind: now) WHERE id = \(bind: act) AND status = 'generated'"
                    ).run()
                }
            case .failed(let error):
                let status: NotificationStatus = retryAt == nil ? .exhausted : .pending
                try await sql.raw(
                    """
                    UPDATE notifications SET status = \(bind: status.rawValue), next_attempt_at = \(bind: retryAt.map(Timestamp.truncated)),
                        last_error = \(bind: String(error.prefix(1024))), \(common)
                    WHERE id = \(bind: dispatch.id)
                    """
                ).run()
            case .refused(let error):
                try await sql.raw(
                    """
                    UPDATE notifications SET status = 'exhausted', next_attempt_at = NULL, last_error = \(bind: String(error.prefix(1024))), \(common)
                    WHERE id = \(bind: dispatch.id)
                    """
                ).run()
            }
        }
    }

    /// When the earliest pending message of `channels` falls due (nil: none waits).
    public func nextDue(channels: Set<NotificationChannel>) async throws -> Date? {
        guard !channels.isEmpty else { return nil }
        return try await database.read { sql in
            try await sql.raw(
                """
                SELECT MIN(next_attempt_at) AS due FROM notifications
                WHERE status = 'pending' AND channel IN (\(binds: channels.map(\.rawValue).sorted()))
                """
            ).first()?.optionalInstant("due")
        }
    }

    static func log(_ id: UUID, _ attempt: NotificationMessage.Attempt, replica: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO notification_attempts (notification_id, number, started_at, duration_ms, error, response, replica)
            VALUES (\(bind: id), \(bind: attempt.number), \(bind: attempt.startedAt), \(bind: attempt.durationMs),
                    \(bind: attempt.error), \(bind: attempt.response), \(bind: replica))
            """
        ).run()
    }
}
