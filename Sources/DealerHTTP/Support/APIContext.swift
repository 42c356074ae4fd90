import DealerCore
import Foundation
import Hummingbird
import NIOCore

/// The per-request context: who is calling (once authenticated) and the request's id for logs.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil on public routes.
    public var actor: Caller?
    /// The dealers the caller may see (`auth.manager_scope`); set with the caller.
    public var visibility: DealerVisibility = .all
    /// The peer's IP address, for the console's sign-in throttle per address.
    public let remoteAddress: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
