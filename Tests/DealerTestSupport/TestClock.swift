import DealerCore
import Foundation
import Synchronization

/// A clock the test sets and advances by hand.
public final class TestClock: NowProvider {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(Timestamp.truncated(start))
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
