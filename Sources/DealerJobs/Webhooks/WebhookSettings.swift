import DealerCore
import Foundation

/// How the dispatcher delivers: from `webhooks.*` in config.
public struct WebhookSettings: Sendable {
    /// Run the dispatcher on this replica.
    public var enabled: Bool
    /// Longest wait for a receiver's whole answer.
    public var timeout: TimeInterval
    public var retry: WebhookRetrySchedule
    /// An endpoint whose every attempt failed for this long is disabled.
    public var disableAfter: TimeInterval
    /// How long a rotated-out secret keeps signing beside the new one.
    public var secretGrace: TimeInterval
    public var urlPolicy: WebhookURLPolicy
    /// Attempts in flight at once on this replica.
    public var concurrency: Int
    /// Polling fallback when no wake-up arrives (LISTEN/NOTIFY or the in-process signal).
    public var pollInterval: TimeInterval
    /// Events fanned out per transaction.
    public var fanOutBatch: Int
    /// Bytes of a receiver's answer read before the connection is dropped; the log keeps the first KB.
    public var maxResponseBytes: Int
    /// Names this replica in delivery leases and the attempt log.
    public var owner: String
    /// `dealerd/<version>`.
    public var userAgent: String

    public init(
        enabled: Bool = true, timeout: TimeInterval = 15, retry: WebhookRetrySchedule = .standard,
        disableAfter: TimeInterval = 5 * 86400, secretGrace: TimeInterval = 24 * 3600,
        urlPolicy: WebhookURLPolicy = WebhookURLPolicy(), concurrency: Int = 64, pollInterval: TimeInterval = 1,
        fanOutBatch: Int = 500, maxResponseBytes: Int = 65536, owner: String = SchedulerSettings.defaultOwner(),
        userAgent: String = "dealerd"
    ) {
        self.userAgent = userAgent
        self.enabled = enabled
        self.timeout = timeout
        self.retry = retry
        self.disableAfter = disableAfter
        self.secretGrace = secretGrace
        self.urlPolicy = urlPolicy
        self.concurrency = concurrency
        self.pollInterval = pollInterval
        self.fanOutBatch = fanOutBatch
        self.maxResponseBytes = maxResponseBytes
        self.owner = owner
    }

    /// A lease outlives the longest attempt (and the recording after it) with room to spare, so
    /// another replica takes a delivery over only when the one sending it is gone.
    var lease: TimeInterval { 2 * timeout + 5 }
}
