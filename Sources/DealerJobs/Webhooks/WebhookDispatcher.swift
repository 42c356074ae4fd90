import DealerCore
import DealerStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Fans committed events out to deliveries and sends them, on every replica at once: deliveries are
/// claimed with leases (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so each attempt is made by one
/// replica. No HTTP call happens inside a transaction: claim, send, then record the outcome.
///
/// It sleeps until something may be due: a commit in this process (the store's signal), a commit on
/// another replica (PostgreSQL NOTIFY, through `listen`), a finished attempt, the next retry time, or
/// at the latest the poll interval.
public struct WebhookDispatcher: Service {
    let store: Store
    let settings: WebhookSettings
    let logger: Logger
    let ready: @Sendable () async throws -> Void
    let listen: (@Sendable (_ ring: @escaping @Sendable () -> Void) async -> Void)?

    /// `listen` runs until cancelled and calls `ring` when another replica commits events.
    public init(
        store: Store, settings: WebhookSettings, logger: Logger,
        ready: @escaping @Sendable () async throws -> Void = {},
        listen: (@Sendable (_ ring: @escaping @Sendable () -> Void) async -> Void)? = nil
    ) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.ready = ready
        self.listen = listen
    }

    public func run() async throws {
        guard settings.enabled else {
            logger.info("webhook dispatcher disabled on this replica")
            try? await gracefulShutdown()
            return
        }
        do { try await ready() } catch { return }
        let sender = WebhookSender(settings: settings)
        let wakeup = Wakeup()
        let inFlight = AttemptsInFlight()
        logger.info("webhook dispatcher started", metadata: ["owner": .string(settings.owner)])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let commits = store.commits.subscribe()
                group.addTask {
                    for await _ in commits { wakeup.ring() }
                }
                if let listen {
                    group.addTask { await listen { wakeup.ring() } }
                }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    var pause = Duration.seconds(settings.pollInterval)
                    do {
                        while try await store.fanOutEvents(limit: settings.fanOutBatch) == settings.fanOutBatch {}
                        let free = settings.concurrency - inFlight.count
                        if free > 0 {
                            let claimed = try await store.claimDueDeliveries(owner: settings.owner, lease: settings.lease, limit: free)
                            for dispatch in claimed {
                                inFlight.change(by: 1)
                                group.addTask {
                                    await deliver(dispatch, with: sender)
                                    inFlight.change(by: -1)
                                    wakeup.ring()
                                }
                            }
                            if !claimed.isEmpty { continue }
                            if let due = try await store.nextDeliveryDue() {
                                let wait = due.timeIntervalSince(store.clock.now())
                                pause = min(pause, .milliseconds(Int64(max(wait, 0.005) * 1000)))
                            }
                        }
                    } catch {
                        logger.error("webhook dispatch pass failed", metadata: ["error": .string(String(reflecting: error))])
                    }
                    await wakeup.wait(upTo: pause)
                }
                // Attempts under way finish (each within the timeout) and record their outcome.
                while inFlight.count > 0 { await wakeup.wait(upTo: .milliseconds(50)) }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wakeup.ring()
        }
        await sender.shutdown()
        logger.info("webhook dispatcher stopped")
    }

    private func deliver(_ dispatch: WebhookDispatch, with sender: WebhookSender) async {
        let outcome = await sender.send(dispatch) { store.clock.now() }
        var retryAt: Date?
        if case .retry(let retryAfter) = outcome.verdict {
            retryAt = settings.retry.nextAttempt(
                afterFailures: dispatch.cycleFailures + 1, at: store.clock.now(), retryAfter: retryAfter,
                random: Double.random(in: 0...1))
        }
        WebhookMetrics.attempted(outcome, firstAttemptOf: dispatch.attemptNumber == 1 ? dispatch.event.event.occurredAt : nil)
        do {
            try await store.recordAttempt(
                dispatch, owner: settings.owner, attempt: outcome.attempt, verdict: outcome.verdict, retryAt: retryAt,
                disableAfter: settings.disableAfter)
        } catch {
            // The lease runs out and the delivery is sent again: at least once, never lost.
            logger.error(
                "could not record a webhook attempt",
                metadata: ["delivery": .string(dispatch.deliveryID.lowercased), "error": .string(String(reflecting: error))])
        }
        if outcome.verdict != .delivered {
            logger.info(
                "webhook attempt failed",
                metadata: [
                    "endpoint": .string(dispatch.endpointID.lowercased), "delivery": .string(dispatch.deliveryID.lowercased),
                    "event_type": .string(dispatch.event.event.type.rawValue), "attempt": "\(dispatch.attemptNumber)",
                    "status": "\(outcome.attempt.statusCode.map(String.init) ?? "-")", "error": .string(outcome.attempt.error ?? ""),
                    "next_attempt": .string(retryAt.map(Timestamp.format) ?? "none"),
                ])
        }
    }
}

/// Attempts by outcome, attempt duration, and the lag from an event to its first attempt.
enum WebhookMetrics {
    static func attempted(_ outcome: WebhookSender.Outcome, firstAttemptOf occurredAt: Date?) {
        let label: String =
            switch outcome.verdict {
            case .delivered: "delivered"
            case .gone: "gone"
            case .retry: "failed"
            }
        Counter(label: "dealerd_webhook_attempts", dimensions: [("outcome", label)]).increment()
        Metrics.Timer(label: "dealerd_webhook_attempt_duration", preferredDisplayUnit: .seconds)
            .recordMilliseconds(outcome.attempt.durationMilliseconds)
        if let occurredAt {
            let lag = outcome.attempt.startedAt.timeIntervalSince(occurredAt)
            Metrics.Timer(label: "dealerd_webhook_first_attempt_lag", preferredDisplayUnit: .seconds)
                .recordNanoseconds(Int64(max(lag, 0) * 1_000_000_000))
        }
    }
}

/// How many attempts this replica has under way.
final class AttemptsInFlight: Sendable {
    private let value = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }

    func change(by delta: Int) { value.add(delta, ordering: .relaxed) }
}
