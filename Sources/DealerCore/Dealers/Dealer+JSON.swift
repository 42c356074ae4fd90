import Foundation

/// The dealer's one JSON shape: served by the API, carried in events and kept in the audit log.
extension Dealer: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, code, name, city, region, segment, contacts, attributes, status, kpp
        case legalName = "legal_name"
        case taxID = "tax_id"
        case managerID = "manager_id"
        case serviceSpecialistID = "service_specialist_id"
        case statusReason = "status_reason"
        case statusChangedAt = "status_changed_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(legalName, forKey: .legalName)
        try container.encode(taxID, forKey: .taxID)
        // Absent optionals are written as null so every document has the same members.
        try container.encode(kpp, forKey: .kpp)
        try container.encode(region, forKey: .region)
        try container.encode(city, forKey: .city)
        try container.encode(segment, forKey: .segment)
        try container.encode(managerID?.lowercased, forKey: .managerID)
        try container.encode(serviceSpecialistID?.lowercased, forKey: .serviceSpecialistID)
        try container.encode(contacts, forKey: .contacts)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(status, forKey: .status)
        try container.encode(statusReason, forKey: .statusReason)
        try container.encode(statusChangedAt, forKey: .statusChangedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
