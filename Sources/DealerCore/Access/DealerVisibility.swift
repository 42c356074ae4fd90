import Foundation

/// Which dealers a manager key may see and act on (`auth.manager_scope`): every dealer (the default,
/// for a department that shares its work), or only its own.
public enum ManagerScope: String, Sendable, CaseIterable {
    case all
    case own
}

/// The dealers a caller sees in lists and may reach by id. Dealer keys are bound to their one dealer
/// elsewhere (the route's `{id}`); this is the company's own people.
public enum DealerVisibility: Sendable, Equatable {
    case all
    /// The dealers this manager manages or serves as service specialist. A manager key bound to no
    /// manager sees none: under `own` a key must say whose it is.
    case managedBy(UUID?)

    public static func of(_ caller: Caller, scope: ManagerScope) -> DealerVisibility {
        caller.role == .manager && scope == .own ? .managedBy(caller.managerID) : .all
    }

    /// The rule; the store's SQL condition implements it set-based, and a test binds the two.
    public func allows(managerID: UUID?, serviceSpecialistID: UUID?) -> Bool {
        switch self {
        case .all: true
        case .managedBy(nil): false
        case .managedBy(let manager?): managerID == manager || serviceSpecialistID == manager
        }
    }

    /// The manager a new dealer is put under when its card names none: under `own`, the manager
    /// creating it, so it does not vanish from its creator's lists.
    public var defaultManager: UUID? {
        if case .managedBy(let manager) = self { manager } else { nil }
    }
}
