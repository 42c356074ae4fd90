import DealerCore
import Foundation
import SQLKit

extension Store {
    /// The ageing report as of `asOf` (documents dated up to that day): every dealer with a balance
    /// or an open debt. Open parts come from the same FIFO window query the scan uses; the buckets
    /// are Core's (`AgeingBuckets`).
    public func ageingReport(
        asOf: CivilDate, groupBy: AgeingReport.Grouping?, currency: Currency, visibility: DealerVisibility = .all
    ) async throws -> AgeingReport {
        try await database.read { sql in
            var balances: [UUID: Int64] = [:]
            for row in try await sql.raw(
                """
                SELECT dealer_id, CAST(SUM(effect_minor) AS BIGINT) AS balance FROM ledger_entries
                WHERE document_date <= \(bind: asOf.iso) GROUP BY dealer_id
                """
            ).all() {
                balances[try row.decode(column: "dealer_id", as: UUID.self)] = try row.decode(column: "balance", as: Int64.self)
            }
            let open = try await Self.openDebts(dealerIDs: nil, dueBefore: nil, documentsUntil: asOf, on: sql)
            let names = try await Self.managerNames(on: sql)
            var rows: [AgeingReport.Row] = []
            let dealers = try await sql.raw(
                """
                SELECT id, code, name, manager_id, region, segment FROM dealers d WHERE \(visibility.condition(dealerIDColumn: "d.id"))
                """
            ).all()
            for row in dealers {
                let id = try row.decode(column: "id", as: UUID.self)
                let balance = balances[id] ?? 0
                let parts = open[id] ?? []
                guard balance != 0 || !parts.isEmpty else { continue }
                let manager = try row.decode(column: "manager_id", as: UUID?.self)
                rows.append(
                    AgeingReport.Row(
                        dealerID: id, code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                        managerID: manager, managerName: manager.flatMap { names[$0] }, region: try row.decode(column: "region", as: String?.self),
                        segment: try row.decode(column: "segment", as: String?.self), balance: balance,
                        buckets: AgeingBuckets.of(parts, asOf: asOf)))
            }
            return AgeingReport(asOf: asOf, currency: currency, groupBy: groupBy, rows: rows)
        }
    }
}
