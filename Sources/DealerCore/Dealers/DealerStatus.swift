import Foundation

/// Where a dealer stands in its relationship with the company.
///
/// prospect → applicant → accredited ↔ suspended → terminated; an applicant that is turned down goes
/// back to prospect; any state but terminated may end in terminated, which is final.
public enum DealerStatus: String, Sendable, Codable, CaseIterable {
    case prospect
    case applicant
    case accredited
    case suspended
    case terminated

    /// The states this one may move to.
    public var allowedNext: [DealerStatus] {
        switch self {
        case .prospect: [.applicant, .terminated]
        case .applicant: [.accredited, .prospect, .terminated]
        case .accredited: [.suspended, .terminated]
        case .suspended: [.accredited, .terminated]
        case .terminated: []
        }
    }

    public func canMove(to next: DealerStatus) -> Bool {
        allowedNext.contains(next)
    }

    /// States a dealer may be created in: existing networks are loaded as they stand, but nobody is
    /// created already terminated.
    public static let initialStates: [DealerStatus] = [.prospect, .applicant, .accredited, .suspended]
}

/// A requested status change, checked against the lifecycle.
public struct StatusChange: Sendable, Equatable {
    public var from: DealerStatus
    public var to: DealerStatus
    public var reason: String

    /// Checks the move and the reason; a reason is required because the audit trail must say why.
    public static func validate(from: DealerStatus, to: DealerStatus, reason: String?) throws -> StatusChange {
        guard let reason = reason?.trimmedNonEmpty else {
            throw ValidationError(field: "reason", "a reason is required for a status change")
        }
        guard reason.count <= 1000 else {
            throw ValidationError(field: "reason", "at most 1000 characters")
        }
        guard from.canMove(to: to) else {
            throw DomainError.invalidTransition(
                from: from.rawValue, to: to.rawValue, allowed: from.allowedNext.map(\.rawValue))
        }
        return StatusChange(from: from, to: to, reason: reason)
    }
}
