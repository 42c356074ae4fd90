import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Dealers that are accredited (or suspended, which only an accredited dealer becomes) without a
    /// single accreditation decision on record: loaded that way, or moved by the status route before
    /// accreditation became a decision only. The head of sales reviews them and accredits each
    /// against a profile (or by override); code order, all of them (a set-based query, few rows).
    public func undecidedAccreditations() async throws -> [Dealer] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: DealerRow.columns) FROM dealers d
                WHERE d.status IN ('accredited', 'suspended')
                  AND NOT EXISTS (SELECT 1 FROM accreditations a WHERE a.dealer_id = d.id AND a.decision = 'accredited')
                ORDER BY d.code
                """
            ).all().map(DealerRow.decode)
        }
    }
}
