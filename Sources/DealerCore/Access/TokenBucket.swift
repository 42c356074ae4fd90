import Foundation

/// A request budget per API key: `rate` requests a second on average, up to `capacity` at once.
/// A key that spends its burst waits for tokens to refill; the answer says how long. Pure and
/// deterministic (time comes in), so its arithmetic is tested apart from any server.
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let capacity: Double
    public private(set) var tokens: Double
    public private(set) var updatedAt: Date

    public init(rate: Double, capacity: Double, now: Date) {
        self.rate = max(rate, 0)
        self.capacity = max(capacity, 1)
        self.tokens = self.capacity
        self.updatedAt = now
    }

    /// Takes one token if there is one; otherwise the seconds until there will be (whole seconds,
    /// at least 1, as `Retry-After` writes them).
    public mutating func take(now: Date) -> Int? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        guard rate > 0 else { return 60 }
        let wait = ((1 - tokens) / rate).rounded(.up)
        return Int(Timestamp.clampedInt64(max(wait, 1)))
    }

    private mutating func refill(now: Date) {
        // A clock that steps back adds nothing; one that jumps ahead fills the bucket, no more.
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(capacity, tokens + elapsed * rate)
        updatedAt = now
    }
}

/// How many requests a second each role's keys may make, and for how many seconds a key may burst
/// (`http.rate_limit` in config). A rate of 0 means no limit for that role.
public struct RateLimits: Sendable, Equatable {
    public var perSecond: [Role: Double]
    public var burstSeconds: Double

    public init(perSecond: [Role: Double] = RateLimits.defaults, burstSeconds: Double = 10) {
        self.perSecond = perSecond
        self.burstSeconds = burstSeconds
    }

    /// People's tools get room for bursts; the ERP (integration) pushes whole days and asks before
    /// every shipment, so it is unlimited unless the operator says otherwise.
    public static let defaults: [Role: Double] = [
        .admin: 200, .manager: 100, .accountant: 100, .viewer: 50, .dealer: 10, .integration: 0,
    ]

    /// A fresh bucket for a key of `role`, or nil when the role is not limited.
    public func bucket(for role: Role, now: Date) -> TokenBucket? {
        guard let rate = perSecond[role], rate > 0 else { return nil }
        return TokenBucket(rate: rate, capacity: rate * burstSeconds, now: now)
    }
}
