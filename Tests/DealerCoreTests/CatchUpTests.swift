import DealerCore
import Foundation
import Testing

@Suite("Catch-up and retries")
struct CatchUpTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func ticks(_ count: Int, every step: TimeInterval = 3600) -> [Date] {
        (0..<count).map { now.addingTimeInterval(-Double(count - $0) * step) }
    }

    @Test(arguments: CatchUpPolicy.allCases)
    func nothingMissedRunsNothing(_ policy: CatchUpPolicy) {
        #expect(CatchUp.plan(due: [], now: now, grace: 60, policy: policy, cap: 24) == CatchUpPlan(run: [], skip: []))
    }

    @Test(arguments: CatchUpPolicy.allCases)
    func anOnTimeTickAlwaysRuns(_ policy: CatchUpPolicy) {
        let onTime = [now.addingTimeInterval(-5)]
        #expect(CatchUp.plan(due: onTime, now: now, grace: 60, policy: policy, cap: 24) == CatchUpPlan(run: onTime, skip: []))
    }

    @Test func oneMissedTick() {
        let missed = ticks(1)
        #expect(CatchUp.plan(due: missed, now: now, grace: 60, policy: .skip, cap: 24) == CatchUpPlan(run: [], skip: missed))
        #expect(CatchUp.plan(due: missed, now: now, grace: 60, policy: .once, cap: 24) == CatchUpPlan(run: missed, skip: []))
        #expect(CatchUp.plan(due: missed, now: now, grace: 60, policy: .all, cap: 24) == CatchUpPlan(run: missed, skip: []))
    }

    @Test func aHundredAndFiftyMissedTicks() {
        let missed = ticks(150)
        let skip = CatchUp.plan(due: missed, now: now, grace: 60, policy: .skip, cap: 24)
        #expect(skip.run.isEmpty && skip.skip == missed)
        let once = CatchUp.plan(due: missed, now: now, grace: 60, policy: .once, cap: 24)
        #expect(once.run == [missed[149]])
        #expect(once.skip == Array(missed[0..<149]))
        let all = CatchUp.plan(due: missed, now: now, grace: 60, policy: .all, cap: 24)
        #expect(all.run == Array(missed[126..<150]))
        #expect(all.skip == Array(missed[0..<126]))
        #expect(all.run.count + all.skip.count == 150)
    }

    @Test func aBatchWithMoreBehindItSkipsItsMissedTicks() {
        let batch = ticks(10)
        #expect(CatchUp.plan(due: batch, now: now, grace: 60, policy: .once, cap: 24, more: true) == CatchUpPlan(run: [], skip: batch))
    }

    @Test func retriesBackOffExponentiallyUpToTheCap() {
        let policy = RetryPolicy(attempts: 5, backoff: 30, maxBackoff: 100)
        #expect(policy.delay(afterAttempt: 1) == 30)
        #expect(policy.delay(afterAttempt: 2) == 60)
        #expect(policy.delay(afterAttempt: 3) == 100)
        #expect(policy.delay(afterAttempt: 4) == 100)
        #expect(policy.delay(afterAttempt: 5) == nil)
    }
}
