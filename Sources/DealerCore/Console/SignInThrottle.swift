import Foundation

/// How repeated failed sign-ins slow a guesser down: a few are free (people mistype), then each
/// further failure locks the account, or the address, for twice as long as the last, up to a cap.
/// The same rule counts per account and per client address, with different allowances: an address
/// may be an office behind one NAT.
public struct SignInThrottle: Sendable, Equatable {
    public var freeFailures: Int
    public var firstLockout: TimeInterval
    public var longestLockout: TimeInterval

    public init(freeFailures: Int, firstLockout: TimeInterval = 60, longestLockout: TimeInterval = 3600) {
        self.freeFailures = freeFailures
        self.firstLockout = firstLockout
        self.longestLockout = longestLockout
    }

    public static let account = SignInThrottle(freeFailures: 5)
    public static let address = SignInThrottle(freeFailures: 20)

    /// How long to lock after the `failures`-th failure in a row; nil while it is still free.
    public func lockout(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let doublings = min(failures - freeFailures, 20)
        return min(firstLockout * Double(1 << doublings), longestLockout)
    }
}
