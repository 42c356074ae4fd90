import DealerCore
import Foundation
import SQLKit

extension Store {
    /// What the store knows of a dealer for an evaluation on `today`: its card's attributes, region
    /// and segment, the documents on its file, how many other dealers are accredited in its region
    /// (and segment), and — when `paymentHistoryMonths` is asked for — the longest any of its debts
    /// stayed overdue over those months (no debts ever: no data).
    public func accreditationFacts(dealerID: UUID, today: CivilDate, paymentHistoryMonths: Int?) async throws -> AccreditationFacts {
        try await database.read { sql in
            guard let dealer = try await Self.fetchDealer(id: dealerID, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            return try await Self.fetchAccreditationFacts(of: dealer, today: today, paymentHistoryMonths: paymentHistoryMonths, on: sql)
        }
    }

    static func fetchAccreditationFacts(
        of dealer: Dealer, today: CivilDate, paymentHistoryMonths: Int?, on sql: any SQLDatabase
    ) async throws -> AccreditationFacts {
        var facts = AccreditationFacts(
            attributes: dealer.attributes, region: dealer.region, segment: dealer.segment,
            documents: try await fetchDocuments(dealerID: dealer.id, on: sql).byKind)
        if let region = dealer.region {
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS in_region,
                       COALESCE(SUM(CASE WHEN segment = \(bind: dealer.segment ?? "") THEN 1 ELSE 0 END), 0) AS in_segment
                FROM dealers WHERE status = 'accredited' AND region = \(bind: region) AND id <> \(bind: dealer.id)
                """
            ).first()
            facts.accreditedInRegion = try row?.decode(column: "in_region", as: Int.self)
            facts.accreditedInRegionAndSegment = dealer.segment == nil ? nil : try row?.decode(column: "in_segment", as: Int.self)
        }
        if let months = paymentHistoryMonths {
            // The whole ledger of the dealer: first in, first out needs every payment since the start.
            var debts: [OverdueHistory.Debt] = []
            var credits: [OverdueHistory.Credit] = []
            for row in try await sql.raw(
                """
                SELECT effect_minor, document_date, due_date, external_id FROM ledger_entries
                WHERE dealer_id = \(bind: dealer.id) AND effect_minor <> 0
                """
            ).all() {
                let effect = try row.decode(column: "effect_minor", as: Int64.self)
                let date = try row.civilDate("document_date")
                if effect > 0 {
                    let due = try row.optionalCivilDate("due_date") ?? date
                    debts.append(
                        .init(due: due, date: date, document: try row.decode(column: "external_id", as: String.self), amountMinor: effect))
                } else {
                    credits.append(.init(date: date, amountMinor: -effect))
                }
            }
            facts.maxOverdueDays = OverdueHistory.maxOverdueDays(
                debts: debts, credits: credits, windowStart: today.adding(months: -months), today: today)
        }
        return facts
    }
}

extension Store {
    /// The dealer a reference names (by id or code), or a 404.
    public func dealerID(for reference: DealerReference) async throws -> UUID {
        try await database.read { sql in
            guard let id = try await Self.resolveDealers([reference], on: sql)[reference] else {
                throw DomainError.notFound(entity: "dealer", id: reference.description)
            }
            return id
        }
    }
}
