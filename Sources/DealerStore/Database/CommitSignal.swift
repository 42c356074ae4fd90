import SQLKit
import Synchronization

/// Tells waiters in this process that a transaction which appended events has committed: the webhook
/// dispatcher wakes at once instead of at its next poll. (Other replicas learn it through
/// PostgreSQL's NOTIFY.)
public final class CommitSignal: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    /// A stream that yields after each commit; bursts collapse into one element.
    public func subscribe() -> AsyncStream<Void> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func notify() {
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield() }
    }
}

/// Marks, inside a transaction, that the outbox received an event; read after the commit.
final class OutboxWrites: Sendable {
    private let appended = Atomic<Bool>(false)

    @TaskLocal static var current: OutboxWrites?

    func markAppended() { appended.store(true, ordering: .relaxed) }
    var any: Bool { appended.load(ordering: .relaxed) }
}

/// Wraps the store's database so every committed transaction that appended an event rings the signal.
struct SignallingDatabase: StoreDatabase {
    let inner: any StoreDatabase
    let signal: CommitSignal

    var flavor: SQLFlavor { inner.flavor }
    var postgres: PostgresStoreDatabase? { inner.postgres }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await inner.read(body)
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let writes = OutboxWrites()
        let result = try await OutboxWrites.$current.withValue(writes) { try await inner.transaction(body) }
        if writes.any { signal.notify() }
        return result
    }
}
