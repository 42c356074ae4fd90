import Foundation

/// When a failed delivery is tried again: a fixed list of waits, each stretched or shrunk by a random
/// jitter so that receivers coming back from an outage are not hit by every retry at the same second.
public struct WebhookRetrySchedule: Sendable, Equatable {
    /// Wait before each attempt: the first is usually 0 (at once), the last one's failure exhausts.
    public var delays: [TimeInterval]
    /// Each wait is multiplied by a factor in 1 ± jitter.
    public var jitter: Double

    /// Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27 hours.
    public static let standard = WebhookRetrySchedule(delays: [0, 5, 300, 1800, 7200, 18000, 36000, 36000], jitter: 0.2)

    /// Retry-After values beyond this are capped: a receiver cannot park a delivery for days.
    public static let longestRetryAfter: TimeInterval = 24 * 3600

    public init(delays: [TimeInterval], jitter: Double) {
        self.delays = delays
        self.jitter = jitter
    }

    public var attempts: Int { delays.count }

    /// The time of the attempt after `failedAttempts` failures of this cycle, or nil when the schedule
    /// is used up. `random` is in 0…1 (injected so tests are deterministic). A receiver's Retry-After
    /// is honoured when it asks for a longer wait than the schedule's.
    public func nextAttempt(afterFailures failedAttempts: Int, at now: Date, retryAfter: TimeInterval?, random: Double) -> Date? {
        guard failedAttempts < delays.count else { return nil }
        let base = delays[failedAttempts]
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        var wait = base * factor
        if let retryAfter { wait = max(wait, min(retryAfter, Self.longestRetryAfter)) }
        return now.addingTimeInterval(wait)
    }

    /// Parses `0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h` (s, m, h, d suffixes).
    public static func parseDelays(_ text: String) -> [TimeInterval]? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 50 else { return nil }
        var delays: [TimeInterval] = []
        for part in parts {
            guard let unit = part.last, let number = Double(part.dropLast()), number >= 0 else { return nil }
            switch unit {
            case "s": delays.append(number)
            case "m": delays.append(number * 60)
            case "h": delays.append(number * 3600)
            case "d": delays.append(number * 86400)
            default: return nil
            }
        }
        return delays
    }
}
