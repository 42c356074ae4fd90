import DealerCore
import Foundation

/// `POST /v1/dealers`
struct CreateDealerRequest: Decodable {
    var code: String?
    var name: String?
    var legalName: String?
    var taxID: String?
    var kpp: String?
    var region: String?
    var city: String?
    var segment: String?
    var managerID: String?
    var serviceSpecialistID: String?
    var contacts: [Contact]?
    var attributes: [String: AttributeValue]?
    var status: String?

    enum CodingKeys: String, CodingKey {
        case code, name, kpp, region, city, segment, contacts, attributes, status
        case legalName = "legal_name"
        case taxID = "tax_id"
        case managerID = "manager_id"
        case serviceSpecialistID = "service_specialist_id"
    }

    func draft() throws -> DealerDraft {
        var issues = ValidationCollector()
        let managerID = RequestFields.uuid(managerID, field: "manager_id", into: &issues)
        let serviceSpecialistID = RequestFields.uuid(serviceSpecialistID, field: "service_specialist_id", into: &issues)
        let status = RequestFields.enumValue(status, DealerStatus.self, field: "status", into: &issues)
        try issues.check()
        return DealerDraft(
            code: code, name: name, legalName: legalName, taxID: taxID, kpp: kpp, region: region, city: city,
            segment: segment, managerID: managerID, serviceSpecialistID: serviceSpecialistID, contacts: contacts ?? [], attributes: attributes ?? [:],
            status: status)
    }
}

/// `PATCH /v1/dealers/{id}`: JSON Merge Patch semantics; a member set to null clears the field.
struct UpdateDealerRequest: Decodable {
    var patch = DealerPatch()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, kpp, region, city, segment, contacts, attributes, status
        case legalName = "legal_name"
        case taxID = "tax_id"
        case managerID = "manager_id"
        case serviceSpecialistID = "service_specialist_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.status) {
            throw ValidationError(field: "status", "the status changes only through POST /v1/dealers/{id}/status")
        }
        var issues = ValidationCollector()
        patch.code = try Self.update(container, .code)
        patch.name = try Self.update(container, .name)
        patch.legalName = try Self.update(container, .legalName)
        patch.taxID = try Self.update(container, .taxID)
        patch.kpp = try Self.update(container, .kpp)
        patch.region = try Self.update(container, .region)
        patch.city = try Self.update(container, .city)
        patch.segment = try Self.update(container, .segment)
        switch try Self.update(container, .managerID) as FieldUpdate<String> {
        case .unchanged: break
        case .clear: patch.managerID = .clear
        case .set(let text):
            if let id = RequestFields.uuid(text, field: "manager_id", into: &issues) { patch.managerID = .set(id) }
        }
        switch try Self.update(container, .serviceSpecialistID) as FieldUpdate<String> {
        case .unchanged: break
        case .clear: patch.serviceSpecialistID = .clear
        case .set(let text):
            if let id = RequestFields.uuid(text, field: "service_specialist_id", into: &issues) { patch.serviceSpecialistID = .set(id) }
        }
        patch.contacts = try Self.update(container, .contacts)
        if container.contains(.attributes), try !container.decodeNil(forKey: .attributes) {
            patch.attributes = try container.decode([String: AttributeValue?].self, forKey: .attributes)
        }
        try issues.check()
    }

    private static func update<T: Decodable & Sendable & Equatable>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> FieldUpdate<T> {
        guard container.contains(key) else { return .unchanged }
        if try container.decodeNil(forKey: key) { return .clear }
        return .set(try container.decode(T.self, forKey: key))
    }
}

/// `POST /v1/dealers/{id}/status`
struct StatusChangeRequest: Decodable {
    var status: String?
    var reason: String?

    func target() throws -> DealerStatus {
        guard let status else { throw ValidationError(field: "status", "required: the status to move to") }
        guard let target = DealerStatus(rawValue: status) else {
            throw ValidationError(
                field: "status", "expected one of: \(DealerStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }
}

/// `POST /v1/managers` and `PATCH /v1/managers/{id}`
struct ManagerRequest: Decodable {
    var name: String?
    var email: String?
    var role: String?
    var active: Bool?

    func draft() throws -> ManagerDraft {
        var issues = ValidationCollector()
        let role = RequestFields.enumValue(role, SalesRole.self, field: "role", into: &issues)
        try issues.check()
        return ManagerDraft(name: name, email: email, role: role, active: active)
    }

    func patch() throws -> ManagerPatch {
        let draft = try draft()
        return ManagerPatch(name: draft.name, email: draft.email, role: draft.role, active: draft.active)
    }
}

/// Parsing of request members whose JSON type is a string but whose content has rules.
enum RequestFields {
    static func uuid(_ text: String?, field: String, into issues: inout ValidationCollector) -> UUID? {
        guard let text = text?.trimmedNonEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            issues.add(field, "expected a UUID")
            return nil
        }
        return id
    }

    static func enumValue<T: RawRepresentable & CaseIterable>(
        _ text: String?, _ type: T.Type, field: String, into issues: inout ValidationCollector
    ) -> T? where T.RawValue == String {
        guard let text else { return nil }
        guard let value = T(rawValue: text) else {
            issues.add(field, "expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }
}
