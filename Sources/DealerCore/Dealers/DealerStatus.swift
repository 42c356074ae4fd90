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

    /// States a dealer may be created in. Nobody is created accredited (or suspended, which only an
    /// accredited dealer can be): a dealer becomes accredited only through an accreditation decision,
    /// against the profile or by the head of sales' override, so every accredited dealer has one on record.
    public static let initialStates: [DealerStatus] = [.prospect, .applicant]

    /// States only an accreditation decision moves a dealer into.
    public static let decidedStates: Set<DealerStatus> = [.accredited]
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
                from: from.rawValue, to: to.rawValue, allowed: from.allowedNext.filter { !DealerStatus.decidedStates.contains($0) }.map(\.rawValue))
        }
        guard !DealerStatus.decidedStates.contains(to) else {
            throw DomainError.accreditationRequired(from: from.rawValue)
        }
        return StatusChange(from: from, to: to, reason: reason)
    }
}
