import Foundation

/// Runs blocking work (a `poll`, `waitUntilExit`, a blocking socket read) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core, two here, and the suite's in-process servers
/// run on it too: a test that blocks a pool thread for seconds starves every other test's server
/// into read timeouts.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
