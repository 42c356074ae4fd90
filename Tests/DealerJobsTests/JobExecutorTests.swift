import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

@testable import DealerJobs

@Suite("Running a job")
struct JobExecutorTests {
    struct FailingJob: Job {
        let name = "flaky"
        let summary = "test"
        let defaults = JobDefaults(schedule: "@hourly", catchUp: .skip)
        func run(_ context: JobContext) async throws {
            struct Broken: Error, CustomStringConvertible { var description: String { "the ERP did not answer" } }
            throw Broken()
        }
    }

    struct SlowJob: Job {
        let name = "slow"
        let summary = "test"
        let defaults = JobDefaults(schedule: "@hourly", catchUp: .skip)
        func run(_ context: JobContext) async throws {
            await context.progress(done: 1, total: 10)
            try await Task.sleep(for: .seconds(30))
        }
    }

    func scheduled(_ job: any Job, timeout: TimeInterval = 60, attempts: Int = 2) throws -> ScheduledJob {
        ScheduledJob(
            job: job,
            settings: JobSettings(
                name: job.name, schedule: try CronSchedule(parsing: "@hourly"), timeZone: .gmt, timeout: timeout,
                retry: RetryPolicy(attempts: attempts, backoff: 0)))
    }

    @Test(arguments: Backend.available)
    func aFailingJobIsRetriedThenFailedWithAnEvent(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let executor = JobExecutor(store: store, owner: "me", heartbeat: 1, logger: testLogger)
            let job = try scheduled(FailingJob())
            try await store.recordTicks(job: "flaky", run: [Date(timeIntervalSince1970: 1_795_000_000)], skip: [])
            let first = try #require(try await store.claimNextRun(jobs: ["flaky"], owner: "me", lease: executor.lease))
            guard case .retrying = await executor.execute(first, as: job) else {
                Issue.record("the first failure should be retried")
                return
            }
            let second = try #require(try await store.claimNextRun(jobs: ["flaky"], owner: "me", lease: executor.lease))
            #expect(await executor.execute(second, as: job) == .failed("the ERP did not answer"))
            let run = try await store.jobRun(id: first.id)
            #expect(run.status == .failed)
            #expect(run.attempts == 2)
            #expect(try await store.events(after: 0, types: [.jobFailed], dealerID: nil, limit: 5).items.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func aJobOverItsTimeoutIsCancelledAndCountsAsFailed(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let executor = JobExecutor(store: store, owner: "me", heartbeat: 0.5, logger: testLogger)
            try await store.recordTicks(job: "slow", run: [Date(timeIntervalSince1970: 1_795_000_000)], skip: [])
            let run = try #require(try await store.claimNextRun(jobs: ["slow"], owner: "me", lease: executor.lease))
            let started = ContinuousClock.now
            let outcome = await executor.execute(run, as: try scheduled(SlowJob(), timeout: 1, attempts: 1))
            #expect(outcome == .failed("timed out after 1 s"))
            #expect(ContinuousClock.now - started < .seconds(20))
            let stored = try await store.jobRun(id: run.id)
            #expect(stored.status == .failed)
            #expect(stored.progressDone == 1)
            #expect(stored.progressTotal == 10)
        }
    }
}
