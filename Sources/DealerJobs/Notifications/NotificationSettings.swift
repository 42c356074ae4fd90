import DealerCore
import Foundation

/// How the notification dispatcher works on this replica: from `notifications.*` in config.
public struct NotificationSettings: Sendable {
    /// Run the dispatcher on this replica (every replica may: messages are claimed with leases).
    public var enabled: Bool
    /// E-mail; nil: not configured, and rules fall back to their next channel.
    public var smtp: SMTPSettings?
    /// The bot; nil: not configured.
    public var telegram: TelegramSettings?
    public var retry: WebhookRetrySchedule
    /// Messages this replica sends at once.
    public var concurrency: Int
    public var pollInterval: TimeInterval
    /// Events fanned out per transaction.
    public var fanOutBatch: Int
    /// Names this replica in leases and the attempt log.
    public var owner: String

    public init(
        enabled: Bool = true, smtp: SMTPSettings? = nil,
        retry: WebhookRetrySchedule = WebhookRetrySchedule(delays: [0, 30, 300, 1800, 7200, 21600, 43200], jitter: 0.2),
        concurrency: Int = 8, pollInterval: TimeInterval = 1, fanOutBatch: Int = 500, owner: String = SchedulerSettings.defaultOwner()
    ) {
        self.enabled = enabled
        self.smtp = smtp
        self.retry = retry
        self.concurrency = concurrency
        self.pollInterval = pollInterval
        self.fanOutBatch = fanOutBatch
        self.owner = owner
    }

    /// The channels this replica can send by.
    public var channels: Set<NotificationChannel> {
        var channels: Set<NotificationChannel> = []
        if smtp != nil { channels.insert(.email) }
        if telegram != nil { channels.insert(.telegram) }
        return channels
    }

    /// Longer than the longest conversation with a server, so another replica takes a message over
    /// only when the one sending it is gone.
    var lease: TimeInterval { 2 * max(smtp?.timeout ?? 0, telegram?.timeout ?? 0, 15) + 5 }
}
