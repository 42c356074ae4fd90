import Foundation
import Metrics
import SQLKit

/// Wraps a database with metrics: how long reads and transactions take, how many are under way (the
/// pool's load), and how many failed.
public struct MeasuredDatabase: StoreDatabase {
    let base: any StoreDatabase
    private let inFlight: Meter
    private let readTimer: Metrics.Timer
    private let transactionTimer: Metrics.Timer
    private let failures: Counter

    public init(_ base: any StoreDatabase, maxConnections: Int) {
        self.base = base
        let engine = [("db", base.flavor.rawValue)]
        inFlight = Meter(label: "dealerd_db_operations_in_flight", dimensions: engine)
        readTimer = Metrics.Timer(label: "dealerd_db_operation_duration", dimensions: engine + [("kind", "read")], preferredDisplayUnit: .seconds)
        transactionTimer = Metrics.Timer(
            label: "dealerd_db_operation_duration", dimensions: engine + [("kind", "transaction")], preferredDisplayUnit: .seconds)
        failures = Counter(label: "dealerd_db_operation_failures", dimensions: engine)
        Gauge(label: "dealerd_db_pool_max_connections", dimensions: engine).record(maxConnections)
    }

    public var flavor: SQLFlavor { base.flavor }
    public var postgres: PostgresStoreDatabase? { base.postgres }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await measure(readTimer) { try await base.read(body) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await measure(transactionTimer) { try await base.transaction(body) }
    }

    private func measure<T>(_ timer: Metrics.Timer, _ operation: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        inFlight.increment()
        defer {
            inFlight.decrement()
            timer.recordInterval(since: started)
        }
        do {
            return try await operation()
        } catch {
            failures.increment()
            throw error
        }
    }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
