import DealerCore
import Foundation
import SQLKit

extension ConsoleStore {
    /// How many dealers the caller sees in each status: the accreditation pipeline of the board.
    public func dealerCounts(visibility: DealerVisibility) async throws -> [DealerStatus: Int] {
        try await database.read { sql in
            var counts: [DealerStatus: Int] = [:]
            for row in try await sql.raw(
                "SELECT status, COUNT(*) AS n FROM dealers WHERE \(visibility.condition(dealerIDColumn: "id")) GROUP BY status"
            ).all() {
                guard let status = DealerStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
                counts[status] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }
}
