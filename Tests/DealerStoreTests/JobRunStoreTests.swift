import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

@Suite("Job runs in the store")
struct JobRunStoreTests {
    let tick = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: Backend.available)
    func aTickIsRecordedOnceWhoeverRecordsIt(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let inserted = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await store.recordTicks(job: "scan", run: [tick], skip: []) } }
                return try await group.reduce(0, +)
            }
            #expect(inserted == 1)
            #expect(try await store.jobRuns(job: "scan", ticksFrom: tick, through: tick).count == 1)
            #expect(try await store.lastScheduledTick(job: "scan") == tick)
            // A skipped record does not overwrite the scheduled one, nor the reverse.
            #expect(try await store.recordTicks(job: "scan", run: [], skip: [tick]) == 0)
        }
    }

    @Test(arguments: Backend.available)
    func concurrentClaimersGetARunOnce(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await store.recordTicks(job: "scan", run: [tick], skip: [])
            let claims = try await withThrowingTaskGroup(of: JobRun?.self) { group in
                for index in 0..<5 { group.addTask { try await store.claimNextRun(jobs: ["scan"], owner: "replica-\(index)", lease: 30) } }
                return try await group.reduce(into: [JobRun]()) { if let run = $1 { $0.append(run) } }
            }
            #expect(claims.count == 1)
            #expect(claims.first?.attempts == 1)
            #expect(claims.first?.status == .running)
        }
    }

    @Test(arguments: Backend.available)
    func anExpiredLeaseIsTakenOverAndTheOldOwnerIsFencedOff(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            try await store.recordTicks(job: "scan", run: [tick], skip: [])
            let first = try #require(try await store.claimNextRun(jobs: ["scan"], owner: "a", lease: 10))
            #expect(try await store.claimNextRun(jobs: ["scan"], owner: "b", lease: 10) == nil)
            #expect(try await store.extendLease(runID: first.id, owner: "a", lease: 10))
            clock.advance(by: 11)
            let second = try #require(try await store.claimNextRun(jobs: ["scan"], owner: "b", lease: 10))
            #expect(second.id == first.id)
            #expect(second.attempts == 2)
            #expect(try await store.extendLease(runID: first.id, owner: "a", lease: 10) == false)
            #expect(try await store.completeRun(runID: first.id, owner: "a") == false)
            #expect(try await store.completeRun(runID: first.id, owner: "b"))
            let done = try await store.jobRun(id: first.id)
            #expect(done.status == .succeeded)
            #expect(done.owner == nil)
        }
    }

    @Test(arguments: Backend.available)
    func aFailureWaitsForItsRetryAndTheLastOneEmitsJobFailed(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            try await store.recordTicks(job: "scan", run: [tick], skip: [])
            let run = try #require(try await store.claimNextRun(jobs: ["scan"], owner: "a", lease: 10))
            #expect(try await store.failRun(runID: run.id, owner: "a", error: "db down", retryAt: clock.now().addingTimeInterval(30)))
            #expect(try await store.claimNextRun(jobs: ["scan"], owner: "a", lease: 10) == nil)
            clock.advance(by: 31)
            let retry = try #require(try await store.claimNextRun(jobs: ["scan"], owner: "a", lease: 10))
            #expect(retry.attempts == 2)
            #expect(try await store.failRun(runID: retry.id, owner: "a", error: "still down", retryAt: nil))
            let failed = try await store.jobRun(id: run.id)
            #expect(failed.status == .failed)
            #expect(failed.error == "still down")
            let events = try await store.events(after: 0, types: [.jobFailed], dealerID: nil, limit: 10).items
            #expect(events.count == 1)
            #expect(events.first?.event.data["job"] == .string("scan"))
            #expect(events.first?.event.data["attempts"] == .number(2))
        }
    }

    @Test(arguments: Backend.available)
    func manualRunsMayRepeatATickAndAreAudited(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await store.recordTicks(job: "acts", run: [tick], skip: [])
            let manual = try await store.requestManualRun(job: "acts", asOf: tick, by: Caller(name: "anna", role: .manager))
            #expect(manual.trigger == .manual)
            #expect(manual.requestedBy == "anna")
            #expect(try await store.jobRuns(job: "acts", ticksFrom: tick, through: tick).count == 2)
            let audit = try await store.auditEntries(AuditQuery(entityType: "job")).items
            #expect(audit.first?.action == "job.run_requested")
            #expect(audit.first?.actor == "anna")
            #expect(try await store.claimRun(id: manual.id, owner: "cli", lease: 10)?.id == manual.id)
            #expect(try await store.claimRun(id: manual.id, owner: "other", lease: 10) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func historyPagesNewestFirst(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            for index in 0..<5 {
                try await store.recordTicks(job: "scan", run: [tick.addingTimeInterval(Double(index) * 60)], skip: [])
                clock.advance(by: 1)
            }
            let first = try await store.jobRuns(job: "scan", status: nil, limit: 3, cursor: nil)
            let second = try await store.jobRuns(job: "scan", status: nil, limit: 3, cursor: first.nextCursor)
            #expect((first.items + second.items).map(\.tick) == (0..<5).reversed().map { tick.addingTimeInterval(Double($0) * 60) })
            #expect(second.nextCursor == nil)
        }
    }

    @Test(arguments: Backend.available)
    func housekeepingPrunesOnlyOldFinishedRunsAndEvents(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(), by: testActor)
            try await store.recordTicks(job: "scan", run: [tick], skip: [tick.addingTimeInterval(-60)])
            clock.advance(by: 100 * 86400)
            try await store.recordTicks(job: "scan", run: [], skip: [tick.addingTimeInterval(60)])
            let removed = try await store.prune(
                runsBefore: clock.now().addingTimeInterval(-90 * 86400), eventsBefore: clock.now().addingTimeInterval(-90 * 86400))
            #expect(removed.runs == 1)
            #expect(removed.events == 1)
            // The scheduled (unfinished) run and the recent skipped one stay; the audit log is untouched.
            #expect(try await store.jobRuns(job: "scan", ticksFrom: .distantPast, through: .distantFuture).map(\.status) == [.scheduled, .skipped])
            #expect(try await store.auditEntries(AuditQuery()).items.count == 1)
        }
    }
}
