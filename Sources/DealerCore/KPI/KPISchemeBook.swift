import Foundation
import Synchronization

/// The KPI schemes in force, shared by whoever reads them after start: the configuration reads the
/// files once its own settings are known, and the `kpi-close` job, built before that, finds them here.
public final class KPISchemeBook: Sendable {
    private let schemes: Mutex<[SalesRole: KPIScheme]>

    public init(_ schemes: [SalesRole: KPIScheme] = [:]) {
        self.schemes = Mutex(schemes)
    }

    public var all: [SalesRole: KPIScheme] { schemes.withLock { $0 } }

    public func replace(with new: [SalesRole: KPIScheme]) { schemes.withLock { $0 = new } }
}
