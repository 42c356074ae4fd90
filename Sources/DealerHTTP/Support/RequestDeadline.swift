import DealerCore
import Foundation
import Logging
import Synchronization

/// Answers 503 problem+json when a request is not done within its deadline, instead of letting the
/// client hang on a handler stuck behind a lock or a slow database.
///
/// The handler runs in its own task so the answer does not wait for it: a database call that does
/// not heed cancellation (SQLite's thread pool, a query PostgreSQL is still running) finishes or
/// fails on its own afterwards, inside its transaction, so nothing is half-written either way.
enum RequestDeadline {
    static func run<Value: Sendable>(
        within deadline: Duration?, logger: Logger, path: String, _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        guard let deadline else { return try await body() }
        let waiting = Waiting<Value>()
        let seconds = max(Int(clamping: deadline.components.seconds), 1)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            waiting.set(continuation)
            let work = Task {
                do {
                    // The value first: `take()` must not run before the body has finished.
                    let value = try await body()
                    waiting.take()?.resume(returning: value)
                } catch {
                    waiting.take()?.resume(throwing: error)
                }
            }
            Task {
                try? await Task.sleep(for: deadline)
                guard let late = waiting.take() else { return }
                work.cancel()
                logger.warning("request deadline passed", metadata: ["path": .string(path), "seconds": .stringConvertible(seconds)])
                late.resume(throwing: Problem.deadlineExceeded(seconds: seconds))
            }
        }
    }

    /// The caller's continuation, resumed exactly once: by the handler or by the deadline.
    private final class Waiting<Value: Sendable>: Sendable {
        private let continuation = Mutex<CheckedContinuation<Value, any Error>?>(nil)

        func set(_ value: CheckedContinuation<Value, any Error>) { continuation.withLock { $0 = value } }
        func take() -> CheckedContinuation<Value, any Error>? { continuation.withLock { $0.take() } }
    }
}
