import DealerCore
import Foundation
import SQLKit

extension Store {
    /// What the store knows of a dealer for an evaluation: its card's attributes, region and segment,
    /// the documents on its file, and how many other dealers are accredited in its region (and
    /// segment). The payment history over months is not kept yet: it is "no data".
    public func accreditationFacts(dealerID: UUID) async throws -> AccreditationFacts {
        try await database.read { sql in
            guard let dealer = try await Self.fetchDealer(id: dealerID, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            var facts = AccreditationFacts(
                attributes: dealer.attributes, region: dealer.region, segment: dealer.segment,
                documents: try await Self.fetchDocuments(dealerID: dealerID, on: sql).byKind)
            if let region = dealer.region {
                let row = try await sql.raw(
                    """
                    SELECT COUNT(*) AS in_region,
                           COALESCE(SUM(CASE WHEN segment = \(bind: dealer.segment ?? "") THEN 1 ELSE 0 END), 0) AS in_segment
                    FROM dealers WHERE status = 'accredited' AND region = \(bind: region) AND id <> \(bind: dealerID)
                    """
                ).first()
                facts.accreditedInRegion = try row?.decode(column: "in_region", as: Int.self)
                facts.accreditedInRegionAndSegment = dealer.segment == nil ? nil : try row?.decode(column: "in_segment", as: Int.self)
            }
            return facts
        }
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
