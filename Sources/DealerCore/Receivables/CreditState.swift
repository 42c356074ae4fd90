import Foundation

/// Where a dealer stands against its limit; alerts fire when this changes, not on every write.
public enum CreditState: String, Sendable, Codable {
    case ok
    /// At or above the warning share of the limit.
    case warning
    /// Above the limit.
    case breached

    public static func of(balance: Int64, policy: CreditPolicy?) -> CreditState {
        guard let policy else { return .ok }
        if balance > policy.limit.minorUnits { return .breached }
        if policy.limit.minorUnits > 0 && ExactShare.reaches(balance, percent: policy.warningPercent, of: policy.limit.minorUnits) {
            return .warning
        }
        return .ok
    }

    /// The event a change from `previous` to this state writes (nil when nothing changed).
    public func transitionEvent(from previous: CreditState) -> EventType? {
        guard self != previous else { return nil }
        switch self {
        case .breached: return .creditLimitBreached
        case .warning: return .creditLimitWarning
        case .ok: return .creditLimitRestored
        }
    }
}

/// Whether a dealer has overdue debt that counts: past the grace days and not below the minimum.
public enum OverdueState: String, Sendable, Codable {
    case clear
    case overdue

    public static func of(beyondGrace counted: Int64, policy: CreditPolicy?) -> OverdueState {
        of(beyondGrace: counted, minimum: policy?.minimumOverdue.minorUnits ?? 0)
    }

    /// Overdue when debt beyond the grace days is not below the minimum the policy ignores.
    public static func of(beyondGrace counted: Int64, minimum: Int64) -> OverdueState {
        counted > 0 && counted >= minimum ? .overdue : .clear
    }

    public func transitionEvent(from previous: OverdueState) -> EventType? {
        guard self != previous else { return nil }
        return self == .overdue ? .creditOverdue : .creditOverdueCleared
    }
}
