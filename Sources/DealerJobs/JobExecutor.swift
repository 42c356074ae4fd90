import DealerCore
import DealerStore
import Foundation
import Logging

/// Runs one claimed run to its end: the body beside a heartbeat that extends the lease and a timer
/// that enforces the timeout, then records the outcome (success, retry, failure with `job.failed`).
public struct JobExecutor: Sendable {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case retrying(at: Date)
        case failed(String)
        /// Another replica took the run over (this one stalled past its lease).
        case lostLease
        /// Shutting down: the run was handed back for another replica.
        case released
    }

    let store: Store
    let owner: String
    let heartbeat: TimeInterval
    let logger: Logger
    let metrics = JobMetrics()

    /// The lease is two heartbeats long: a dead replica's run is free again within about two
    /// heartbeat intervals, and one late heartbeat does not lose it.
    public var lease: TimeInterval { heartbeat * 2 }

    public init(store: Store, owner: String, heartbeat: TimeInterval, logger: Logger) {
        self.store = store
        self.owner = owner
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public func execute(
        _ run: JobRun, as scheduled: ScheduledJob, onProgress: (@Sendable (Int, Int?) -> Void)? = nil
    ) async -> Outcome {
        let settings = scheduled.settings
        var logger = logger
        logger[metadataKey: "job"] = .string(run.job)
        logger[metadataKey: "run_id"] = .string(run.id.lowercased)
        if run.attempts > settings.retry.attempts {
            // Every attempt so far ended with its replica gone: stop taking the cluster down with it.
            let message = "gave up after \(run.attempts - 1) attempts whose replicas stopped mid-run"
            _ = try? await store.failRun(runID: run.id, owner: owner, error: message, retryAt: nil)
            metrics.finished(job: run.job, outcome: "failed", duration: .zero)
            return .failed(message)
        }
        metrics.started(job: run.job, lag: (run.startedAt ?? Date()).timeIntervalSince(run.tick))
        metrics.runningChanged(job: run.job, by: 1)
        defer { metrics.runningChanged(job: run.job, by: -1) }
        let started = ContinuousClock.now
        let result = await runBody(run, scheduled, logger: logger, onProgress: onProgress)
        let elapsed = ContinuousClock.now - started
        let outcome: Outcome
        do {
            switch result {
            case .finished:
                outcome = try await store.completeRun(runID: run.id, owner: owner) ? .succeeded : .lostLease
            case .failed(let message):
                outcome = try await recordFailure(run, settings: settings, message: message)
            case .lostLease:
                outcome = .lostLease
            case .cancelled:
                try await store.releaseRun(runID: run.id, owner: owner)
                outcome = .released
            }
        } catch {
            // The database is unreachable: the lease will run out and another replica (or this one)
            // runs the tick again, which jobs allow.
            logger.error("could not record the outcome of a run", metadata: ["error": .string(String(reflecting: error))])
            outcome = .lostLease
        }
        let label: String
        switch outcome {
        case .succeeded: label = "succeeded"
        case .retrying: label = "retrying"
        case .failed: label = "failed"
        case .lostLease: label = "lost_lease"
        case .released: label = "released"
        }
        metrics.finished(job: run.job, outcome: label, duration: elapsed)
        logger.log(
            level: label == "succeeded" ? .info : .warning, "job run ended",
            metadata: ["outcome": .string(label), "attempt": "\(run.attempts)", "tick": .string(Timestamp.format(run.tick))])
        return outcome
    }

    private func recordFailure(_ run: JobRun, settings: JobSettings, message: String) async throws -> Outcome {
        if let delay = settings.retry.delay(afterAttempt: run.attempts) {
            let retryAt = store.clock.now().addingTimeInterval(delay)
            return try await store.failRun(runID: run.id, owner: owner, error: message, retryAt: retryAt) ? .retrying(at: retryAt) : .lostLease
        }
        return try await store.failRun(runID: run.id, owner: owner, error: message, retryAt: nil) ? .failed(message) : .lostLease
    }

    enum BodyResult: Sendable {
        case finished
        case failed(String)
        case lostLease
        case cancelled
    }

    private func runBody(
        _ run: JobRun, _ scheduled: ScheduledJob, logger: Logger, onProgress: (@Sendable (Int, Int?) -> Void)?
    ) async -> BodyResult {
        let store = store
        let owner = owner
        let throttle = ProgressThrottle()
        let context = JobContext(asOf: run.tick, runID: run.id, store: store, logger: logger) { done, total in
            onProgress?(done, total)
            if await throttle.shouldWrite(done: done, total: total) {
                try? await store.reportProgress(runID: run.id, owner: owner, done: done, total: total)
            }
        }
        let timeout = scheduled.settings.timeout
        let heartbeat = heartbeat
        let lease = lease
        return await withTaskGroup(of: BodyResult?.self) { group in
            group.addTask {
                do {
                    try await scheduled.job.run(context)
                    return .finished
                } catch is CancellationError {
                    return .cancelled
                } catch {
                    return .failed(String(describing: error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return Task.isCancelled ? nil : .failed("timed out after \(Int(timeout)) s")
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(heartbeat))
                    if Task.isCancelled { return nil }
                    if let extended = try? await store.extendLease(runID: run.id, owner: owner, lease: lease), !extended {
                        return .lostLease
                    }
                }
                return nil
            }
            var result: BodyResult = .cancelled
            while let next = await group.next() {
                if let next {
                    result = next
                    break
                }
            }
            // The body stops at its next cancellation point: cooperative cancellation.
            group.cancelAll()
            // Shutting down: an error that the cancellation caused is not the job's failure.
            if Task.isCancelled, case .failed = result { result = .cancelled }
            return result
        }
    }
}

/// Progress goes to the database at most twice a second, and always when the work is complete.
actor ProgressThrottle {
    private var lastWrite = ContinuousClock.now - .seconds(10)

    func shouldWrite(done: Int, total: Int?) -> Bool {
        let now = ContinuousClock.now
        if done == total || now - lastWrite >= .milliseconds(500) {
            lastWrite = now
            return true
        }
        return false
    }
}
