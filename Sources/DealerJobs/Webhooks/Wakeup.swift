import Synchronization

/// A doorbell for one waiting loop: `ring()` from anywhere, `wait(upTo:)` returns at the first ring
/// (or one that came while nobody waited) or when the time is up.
final class Wakeup: Sendable {
    private struct State {
        var rang = false
        var waiter: (generation: Int, continuation: CheckedContinuation<Void, Never>)?
        var generation = 0
    }

    private let state = Mutex(State())

    init() {}

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rang = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    func wait(upTo duration: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let generation = state.withLock { state -> Int? in
                    if state.rang || Task.isCancelled {
                        state.rang = false
                        return nil
                    }
                    state.generation += 1
                    state.waiter = (state.generation, continuation)
                    return state.generation
                }
                guard let generation else {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(for: duration)
                    self.timeUp(generation)
                }
            }
        } onCancel: {
            self.ring()
        }
    }

    private func timeUp(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.generation == generation else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
