import DealerCore
import Foundation
import Synchronization

/// One token bucket per API key, in this process (each replica keeps its own: a limit of N per
/// second is N per replica). Keys are few; buckets of keys idle for ten minutes are dropped so the
/// table cannot grow without bound.
final class RateLimiter: Sendable {
    private struct State {
        var buckets: [UUID: TokenBucket] = [:]
        var lastSweep: Date
    }

    let limits: RateLimits
    private let state: Mutex<State>

    init(limits: RateLimits, now: Date) {
        self.limits = limits
        self.state = Mutex(State(lastSweep: now))
    }

    /// nil when the key may go on; otherwise the seconds to wait.
    func admit(key: UUID, role: Role, now: Date) -> Int? {
        state.withLock { state in
            if now.timeIntervalSince(state.lastSweep) > 600 {
                state.buckets = state.buckets.filter { now.timeIntervalSince($0.value.updatedAt) < 600 }
                state.lastSweep = now
            }
            guard var bucket = state.buckets[key] ?? limits.bucket(for: role, now: now) else { return nil }
            let wait = bucket.take(now: now)
            state.buckets[key] = bucket
            return wait
        }
    }
}
