import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Logging
import Testing

@testable import DealerJobs

/// Stops "all replicas" across several ticks (the clock jumps while nothing plans), then checks
/// what each catch-up policy records: nothing is lost silently.
@Suite("Scheduler catch-up after an outage")
struct SchedulerCatchUpTests {
    struct NoopJob: Job {
        let name: String
        let summary = "test"
        let defaults = JobDefaults(schedule: "0 * * * *", catchUp: .skip)
        func run(_ context: JobContext) async throws {}
    }

    static let start = Timestamp.parse("2026-11-25T10:00:05Z")!

    func scheduler(_ store: Store, policy: CatchUpPolicy, cap: Int = 24) throws -> SchedulerService {
        let settings = JobSettings(
            name: "hourly-\(policy.rawValue)", schedule: try CronSchedule(parsing: "0 * * * *"), timeZone: .gmt, catchUp: policy,
            catchUpCap: cap)
        return SchedulerService(
            store: store, jobs: [ScheduledJob(job: NoopJob(name: settings.name), settings: settings)],
            settings: SchedulerSettings(grace: 60, owner: "test"), logger: testLogger)
    }

    func statuses(_ store: Store, _ job: String) async throws -> [String] {
        try await store.jobRuns(job: job, ticksFrom: .distantPast, through: .distantFuture).map {
            "\(Timestamp.format($0.tick).dropFirst(11).prefix(5)) \($0.status.rawValue)"
        }
    }

    @Test(arguments: Backend.available)
    func eachPolicyRecordsEveryMissedTick(_ backend: Backend) async throws {
        let clock = TestClock(Self.start)
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let skip = try scheduler(store, policy: .skip)
            let once = try scheduler(store, policy: .once)
            let all = try scheduler(store, policy: .all, cap: 3)
            for service in [skip, once, all] { try await service.planTicks(startedAt: Self.start.addingTimeInterval(-60)) }
            // Down from 10:00:05 to 15:30: the ticks of 11:00 … 15:00 pass with nobody running.
            clock.advance(by: 5 * 3600 + 25 * 60)
            for service in [skip, once, all] { try await service.planTicks(startedAt: Self.start) }

            #expect(
                try await statuses(store, "hourly-skip") == [
                    "10:00 scheduled", "11:00 skipped", "12:00 skipped", "13:00 skipped", "14:00 skipped", "15:00 skipped",
                ])
            #expect(
                try await statuses(store, "hourly-once") == [
                    "10:00 scheduled", "11:00 skipped", "12:00 skipped", "13:00 skipped", "14:00 skipped", "15:00 scheduled",
                ])
            #expect(
                try await statuses(store, "hourly-all") == [
                    "10:00 scheduled", "11:00 skipped", "12:00 skipped", "13:00 scheduled", "14:00 scheduled", "15:00 scheduled",
                ])
            let skipped = try await store.jobRuns(job: "hourly-skip", status: .skipped, limit: 10, cursor: nil).items
            #expect(skipped.allSatisfy { $0.error == "missed while no replica was running" && $0.finishedAt != nil })

            // Back in steady state: the next tick is on time and nothing is recorded twice.
            clock.advance(by: 35 * 60)
            for service in [skip, once, all] { try await service.planTicks(startedAt: Self.start) }
            for service in [skip, once, all] { try await service.planTicks(startedAt: Self.start) }
            #expect(try await statuses(store, "hourly-skip").last == "16:00 scheduled")
            #expect(try await statuses(store, "hourly-all").count == 7)
        }
    }

    @Test(arguments: Backend.available)
    func aLongOutageIsWorkedThroughInBatches(_ backend: Backend) async throws {
        let clock = TestClock(Self.start)
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let once = try scheduler(store, policy: .once)
            try await once.planTicks(startedAt: Self.start.addingTimeInterval(-60))
            clock.advance(by: 700 * 3600 + 30 * 60)
            for _ in 0..<3 { try await once.planTicks(startedAt: Self.start) }
            let runs = try await store.jobRuns(job: "hourly-once", ticksFrom: .distantPast, through: .distantFuture)
            #expect(runs.count == 701)
            #expect(runs.filter { $0.status == .scheduled }.map(\.tick) == [Self.start.addingTimeInterval(-5), runs.last!.tick])
        }
    }
}
