import DealerCore
import Foundation
import Testing

@Suite("Per-key rate limits")
struct TokenBucketTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func aKeySpendsItsBurstThenWaitsForTheRate() {
        var bucket = TokenBucket(rate: 2, capacity: 4, now: start)
        for _ in 0..<4 { #expect(bucket.take(now: start) == nil) }
        #expect(bucket.take(now: start) == 1, "the fifth at once waits a second")
        #expect(bucket.take(now: start.addingTimeInterval(0.5)) == nil, "half a second at 2/s refills one")
        #expect(bucket.take(now: start.addingTimeInterval(0.5)) == 1)
        #expect(bucket.take(now: start.addingTimeInterval(100)) == nil, "a long pause refills to the capacity, no more")
        for _ in 0..<3 { #expect(bucket.take(now: start.addingTimeInterval(100)) == nil) }
        #expect(bucket.take(now: start.addingTimeInterval(100)) != nil)
    }

    @Test func aClockThatStepsBackNeverAddsTokens() {
        var bucket = TokenBucket(rate: 1, capacity: 1, now: start)
        #expect(bucket.take(now: start) == nil)
        #expect(bucket.take(now: start.addingTimeInterval(-3600)) == 1)
    }

    @Test func rolesWithoutARateAreUnlimitedAndOddSettingsDoNotTrap() {
        let limits = RateLimits(perSecond: [.viewer: 5, .integration: 0], burstSeconds: 2)
        #expect(limits.bucket(for: .integration, now: start) == nil)
        #expect(limits.bucket(for: .admin, now: start) == nil)
        #expect(limits.bucket(for: .viewer, now: start)?.capacity == 10)
        var absurd = TokenBucket(rate: 1e-300, capacity: 1, now: start)
        _ = absurd.take(now: start)
        #expect(absurd.take(now: start) == Int(Int64.max), "a wait no clock reaches is held, not trapped")
    }
}
