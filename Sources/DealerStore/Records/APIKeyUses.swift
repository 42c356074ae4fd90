import DealerCore
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// Uses of API keys not yet written to `api_keys.last_used_at`. Authentication notes a use here and
/// goes on; `APIKeyUseWriter` writes them all in one transaction every so often, so no request waits
/// for (or, on SQLite, takes) the write lock to say a key was used.
public final class APIKeyUses: Sendable {
    private let pending = Mutex<[UUID: Date]>([:])

    public init() {}

    func note(_ id: UUID, at instant: Date) {
        pending.withLock { pending in
            if let known = pending[id], known >= instant { return }
            pending[id] = instant
        }
    }

    func take() -> [UUID: Date] {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    /// Puts back uses a failed write did not store, unless a later use was noted meanwhile.
    func restore(_ uses: [UUID: Date]) {
        for (id, instant) in uses { note(id, at: instant) }
    }
}

extension Store {
    /// Writes the noted key uses in one transaction; returns how many keys it touched. A write that
    /// fails keeps them for the next try.
    @discardableResult
    public func flushAPIKeyUses() async throws -> Int {
        let uses = keyUses.take()
        guard !uses.isEmpty else { return 0 }
        do {
            try await database.transaction { sql in
                for (id, instant) in uses.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                    try await sql.raw(
                        """
                        UPDATE api_keys SET last_used_at = \(bind: instant)
                        WHERE id = \(bind: id) AND (last_used_at IS NULL OR last_used_at < \(bind: instant))
                        """
                    ).run()
                }
            }
        } catch {
            keyUses.restore(uses)
            throw error
        }
        return uses.count
    }
}

/// Writes the noted key uses every `interval`, and once more at shutdown.
public struct APIKeyUseWriter: Service {
    let store: Store
    let interval: Duration
    let logger: Logger

    public init(store: Store, interval: Duration = .seconds(30), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await flush()
            }
        }
        await flush()
    }

    private func flush() async {
        do { try await store.flushAPIKeyUses() } catch {
            logger.warning("could not record when API keys were last used; retrying", metadata: ["error": .string("\(error)")])
        }
    }
}
