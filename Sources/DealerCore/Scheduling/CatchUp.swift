import Foundation

/// What to do with ticks that passed while no replica was running.
public enum CatchUpPolicy: String, Sendable, Codable, CaseIterable {
    /// Record every missed tick as skipped; wait for the next one (scans: a fresh scan supersedes).
    case skip
    /// Run the latest missed tick, record the earlier ones as skipped (periodic documents).
    case once
    /// Run every missed tick, up to a cap; record the older ones beyond it as skipped.
    case all
}

/// The decision for a batch of ticks that have come due: which run, which are recorded as skipped.
public struct CatchUpPlan: Sendable, Equatable {
    public var run: [Date]
    public var skip: [Date]

    public init(run: [Date], skip: [Date]) {
        self.run = run
        self.skip = skip
    }
}

public enum CatchUp {
    /// Splits due ticks (ascending, all ≤ now) into those to run and those to record as skipped.
    ///
    /// A tick no older than `grace` is on time and always runs. Older ones are missed and follow the
    /// policy. When `more` is set, later due ticks exist beyond this batch, so every missed tick here
    /// is superseded and skipped; the policy applies to the final batch.
    public static func plan(
        due: [Date], now: Date, grace: TimeInterval, policy: CatchUpPolicy, cap: Int, more: Bool = false
    ) -> CatchUpPlan {
        let onTime = due.filter { now.timeIntervalSince($0) <= grace }
        let missed = due.filter { now.timeIntervalSince($0) > grace }
        if more { return CatchUpPlan(run: onTime, skip: missed) }
        switch policy {
        case .skip:
            return CatchUpPlan(run: onTime, skip: missed)
        case .once:
            return CatchUpPlan(run: Array(missed.suffix(1)) + onTime, skip: Array(missed.dropLast()))
        case .all:
            let kept = Array(missed.suffix(max(cap, 0)))
            return CatchUpPlan(run: kept + onTime, skip: Array(missed.dropLast(kept.count)))
        }
    }
}

/// How a failed attempt is retried: up to `attempts` tries in all, waiting `backoff` doubled after
/// each failure, capped at `maxBackoff`.
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var backoff: TimeInterval
    public var maxBackoff: TimeInterval

    public init(attempts: Int = 3, backoff: TimeInterval = 30, maxBackoff: TimeInterval = 3600) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before the next try after `attempt` (1-based) failed, or nil when none is left.
    public func delay(afterAttempt attempt: Int) -> TimeInterval? {
        guard attempt < attempts else { return nil }
        return min(maxBackoff, backoff * pow(2, Double(attempt - 1)))
    }
}
