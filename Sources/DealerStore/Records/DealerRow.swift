import DealerCore
import Foundation
import SQLKit

/// Reads a `dealers` row into a Dealer.
enum DealerRow {
    static let columns =
        "id, code, name, legal_name, tax_id, kpp, region, city, segment, manager_id, service_specialist_id, contacts, attributes, status, status_reason, status_changed_at, created_at, updated_at"

    static func decode(_ row: any SQLRow) throws -> Dealer {
        let decoder = DealerJSON.decoder()
        let contacts = try row.decode(column: "contacts", as: String.self)
        let attributes = try row.decode(column: "attributes", as: String.self)
        return Dealer(
            id: try row.decode(column: "id", as: UUID.self),
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            legalName: try row.decode(column: "legal_name", as: String.self),
            taxID: try TaxID(row.decode(column: "tax_id", as: String.self)),
            kpp: try row.decode(column: "kpp", as: String?.self),
            region: try row.decode(column: "region", as: String?.self),
            city: try row.decode(column: "city", as: String?.self),
            segment: try row.decode(column: "segment", as: String?.self),
            managerID: try row.decode(column: "manager_id", as: UUID?.self),
            serviceSpecialistID: try row.decode(column: "service_specialist_id", as: UUID?.self),
            contacts: try decoder.decode([Contact].self, from: Data(contacts.utf8)),
            attributes: try decoder.decode([String: AttributeValue].self, from: Data(attributes.utf8)),
            status: try row.enumeration("status", as: DealerStatus.self),
            statusReason: try row.decode(column: "status_reason", as: String?.self),
            statusChangedAt: try row.instant("status_changed_at"),
            createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}
