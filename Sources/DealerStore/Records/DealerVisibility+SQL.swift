import DealerCore
import Foundation
import SQLKit

extension DealerVisibility {
    /// `DealerVisibility.allows` as a condition on a column holding a dealer's id.
    func condition(dealerIDColumn column: String) -> SQLQueryString {
        switch self {
        case .all: "1 = 1"
        case .managedBy(nil): "1 = 0"
        case .managedBy(let manager?):
            "\(unsafeRaw: column) IN (SELECT id FROM dealers WHERE manager_id = \(bind: manager) OR service_specialist_id = \(bind: manager))"
        }
    }
}

extension Store {
    /// Whether the dealer is one `visibility` lets the caller see; false for a dealer that does not exist.
    public func isVisible(dealerID: UUID, to visibility: DealerVisibility) async throws -> Bool {
        guard visibility != .all else { return true }
        return try await database.read { sql in
            try await sql.raw(
                "SELECT 1 AS one FROM dealers WHERE id = \(bind: dealerID) AND \(visibility.condition(dealerIDColumn: "id"))"
            ).first() != nil
        }
    }
}
