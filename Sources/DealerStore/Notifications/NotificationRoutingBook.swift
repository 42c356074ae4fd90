import Synchronization

/// The routing the digest jobs send by. The jobs are made when the configuration is parsed, before
/// the templates are read, so the composition root hands them the routing here once it has it;
/// until then (or when notifications are off) the jobs have nobody to write to.
public final class NotificationRoutingBook: Sendable {
    private let routing = Mutex<NotificationRouting?>(nil)

    public init() {}

    public var current: NotificationRouting? { routing.withLock { $0 } }

    public func replace(with new: NotificationRouting?) { routing.withLock { $0 = new } }
}
