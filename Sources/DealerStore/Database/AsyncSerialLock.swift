import Foundation

/// A first-come, first-served lock for async code: one holder at a time, waiters resumed in order.
///
/// SQLite has a single writer; sharing one connection between concurrent transactions would
/// interleave their statements, so writers take turns through this lock.
actor AsyncSerialLock {
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held = false
        } else {
            // Ownership passes straight to the next waiter; `held` stays true.
            waiters.removeFirst().resume()
        }
    }

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}
