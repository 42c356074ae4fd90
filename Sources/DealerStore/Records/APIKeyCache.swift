import DealerCore
import Foundation
import Synchronization

/// Keys recently authenticated, so a busy client does not cost a database round trip per request.
///
/// It is trusted only while something tells it about revocations: on PostgreSQL a listener on
/// `dealerd_api_keys`, which every revocation notifies at commit, in whichever process it happens.
/// While no listener is connected (SQLite, or the listener reconnecting) every lookup goes to the
/// database. A revocation clears it, and bumps a generation so a lookup that raced with the
/// revocation cannot put the key back. Entries also expire after `lifetime`, as a last resort.
public final class APIKeyCache: Sendable {
    private struct State {
        var trusted = false
        var generation = 0
        var keys: [String: (key: APIKey, cachedAt: Date)] = [:]
    }

    private let state = Mutex(State())
    let lifetime: TimeInterval
    /// Bounds memory if many distinct keys are used; a full cache starts over.
    let capacity: Int

    public init(lifetime: TimeInterval = 60, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached key for this secret's hash, if the cache is trusted and the entry is fresh.
    func key(forHash hash: String, now: Date) -> APIKey? {
        state.withLock { state in
            guard state.trusted, let entry = state.keys[hash], now.timeIntervalSince(entry.cachedAt) < lifetime else { return nil }
            return entry.key
        }
    }

    /// The generation to hand back to `store` after reading the database.
    var generation: Int { state.withLock { $0.generation } }

    func store(_ key: APIKey, forHash hash: String, readAt generation: Int, now: Date) {
        state.withLock { state in
            guard state.trusted, state.generation == generation else { return }
            if state.keys.count >= capacity { state.keys.removeAll() }
            state.keys[hash] = (key, now)
        }
    }

    func noteUse(_ key: APIKey, forHash hash: String) {
        state.withLock { state in
            if let entry = state.keys[hash], entry.key.id == key.id { state.keys[hash] = (key, entry.cachedAt) }
        }
    }

    /// A key changed somewhere: forget everything.
    public func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.keys.removeAll()
        }
    }

    /// A revocation listener is connected (true) or lost (false); either way nothing cached survives.
    public func setTrusted(_ trusted: Bool) {
        state.withLock { state in
            state.trusted = trusted
            state.generation += 1
            state.keys.removeAll()
        }
    }
}
