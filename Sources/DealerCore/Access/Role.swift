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
    /// A dealer's own key, bound to that one dealer: it reads the dealer's receivables, credit policy
    /// and available credit, and nothing of any other dealer.
    case dealer

    public static func < (lhs: Role, rhs: Role) -> Bool {
        (allCases.firstIndex(of: lhs) ?? allCases.endIndex) < (allCases.firstIndex(of: rhs) ?? allCases.endIndex)
    }
}

extension Set where Element == Role {
    /// Every role of the company's own people and systems: anyone with a valid key but a dealer's.
    public static let staff = Set(Role.allCases).subtracting([.dealer])
}
