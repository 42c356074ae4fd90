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

    /// How many events of `type` the caller's dealers had since `since` (blocked shipments today).
    public func eventCount(_ type: EventType, since: Date, visibility: DealerVisibility) async throws -> Int {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM events WHERE type = \(bind: type.rawValue) AND occurred_at >= \(bind: since)
                  AND \(visibility.condition(dealerIDColumn: "dealer_id"))
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// How many of a period's acts the caller sees are in each status: the same period match as
    /// `Store.acts` (`period_from`, `period_to`), counted in SQL rather than read act by act.
    public func actCounts(period: PlanPeriod, visibility: DealerVisibility) async throws -> [ActStatus: Int] {
        try await database.read { sql in
            var counts: [ActStatus: Int] = [:]
            for row in try await sql.raw(
                """
                SELECT status, COUNT(*) AS n FROM reconciliation_acts
                WHERE period_from = \(bind: period.firstDay.iso) AND period_to = \(bind: period.lastDay.iso)
                  AND \(visibility.condition(dealerIDColumn: "dealer_id"))
                GROUP BY status
                """
            ).all() {
                guard let status = ActStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
                counts[status] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }
}
