import Foundation

/// How long a console session lives: it ends after `idle` without a request, and in any case
/// `absolute` after sign-in, when the person signs in again.
public struct ConsoleSessionPolicy: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 30 * 60, absolute: TimeInterval = 12 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    public func isLive(createdAt: Date, lastSeenAt: Date, at now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) < idle && now.timeIntervalSince(createdAt) < absolute
    }

    /// Whether a request should write its time to the session row: not on every request, so a page
    /// with several fetches writes once, but often enough that the idle limit stays exact to a minute.
    public func shouldTouch(lastSeenAt: Date, at now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) >= min(60, idle / 10)
    }
}
