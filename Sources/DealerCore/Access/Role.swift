import Foundation

/// What an API key may do. Each route names the roles that may call it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Everything, including keys' audit trail and webhooks.
    case admin
    /// Account managers and the head of sales: dealers, managers, statuses.
    case manager
    /// Accountants: receivables, reconciliation acts; reads dealers.
    case accountant
    /// The ERP pushing documents in.
    case integration
    /// Read-only dashboards.
    case viewer

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension Set where Element == Role {
    /// Every role: anyone with a valid key.
    public static let anyRole = Set(Role.allCases)
}
