import Foundation

/// What a client sends to create a dealer, before it is checked.
public struct DealerDraft: Sendable, Equatable {
    public var code: String?
    public var name: String?
    public var legalName: String?
    public var taxID: String?
    public var kpp: String?
    public var region: String?
    public var city: String?
    public var segment: String?
    public var managerID: UUID?
    public var serviceSpecialistID: UUID?
    public var contacts: [Contact]
    public var attributes: [String: AttributeValue]
    public var status: DealerStatus?

    public init(
        code: String? = nil, name: String? = nil, legalName: String? = nil, taxID: String? = nil,
        kpp: String? = nil, region: String? = nil, city: String? = nil, segment: String? = nil,
        managerID: UUID? = nil, serviceSpecialistID: UUID? = nil, contacts: [Contact] = [], attributes: [String: AttributeValue] = [:],
        status: DealerStatus? = nil
    ) {
        self.code = code
        self.name = name
        self.legalName = legalName
        self.taxID = taxID
        self.kpp = kpp
        self.region = region
        self.city = city
        self.segment = segment
        self.managerID = managerID
        self.serviceSpecialistID = serviceSpecialistID
        self.contacts = contacts
        self.attributes = attributes
        self.status = status
    }

    /// Checks every field and builds the dealer; all problems are reported together.
    public func validated(id: UUID, now: Date) throws(ValidationError) -> Dealer {
        var issues = ValidationCollector()
        let code = DealerRules.code(code, into: &issues)
        let name = DealerRules.requiredText(name, field: "name", max: 300, into: &issues)
        let legalName = legalName?.trimmedNonEmpty ?? name
        if let legalName, legalName.count > 500 { issues.add("legal_name", "at most 500 characters") }
        let taxID = DealerRules.taxID(taxID, into: &issues)
        let kpp = DealerRules.kpp(kpp?.trimmedNonEmpty, taxID: taxID, into: &issues)
        let region = DealerRules.optionalText(region, field: "region", max: 200, into: &issues)
        let city = DealerRules.optionalText(city, field: "city", max: 200, into: &issues)
        let segment = DealerRules.optionalText(segment, field: "segment", max: 100, into: &issues)
        let contacts = DealerRules.contacts(contacts, into: &issues)
        Attributes.validate(attributes, into: &issues)
        let status = status ?? .prospect
        if !DealerStatus.initialStates.contains(status) {
            issues.add("status", "a dealer is created as one of: \(DealerStatus.initialStates.map(\.rawValue).joined(separator: ", "))")
        }
        try issues.check()
        guard let code, let name, let legalName, let taxID else { throw issues.unreachable("code") }
        return Dealer(
            id: id, code: code, name: name, legalName: legalName, taxID: taxID, kpp: kpp,
            region: region, city: city, segment: segment, managerID: managerID, serviceSpecialistID: serviceSpecialistID, contacts: contacts,
            attributes: attributes, status: status, statusReason: nil, statusChangedAt: now,
            createdAt: now, updatedAt: now)
    }
}

/// Field rules shared by creation and update, so both say the same thing about the same field.
enum DealerRules {
    static func code(_ raw: String?, into issues: inout ValidationCollector) -> String? {
        guard let code = raw?.trimmedNonEmpty else {
            issues.add("code", "the ERP code is required")
            return nil
        }
        if code.count > 64 { issues.add("code", "at most 64 characters") }
        return code
    }

    static func requiredText(_ raw: String?, field: String, max: Int, into issues: inout ValidationCollector) -> String? {
        guard let text = raw?.trimmedNonEmpty else {
            issues.add(field, "required and not blank")
            return nil
        }
        if text.count > max { issues.add(field, "at most \(max) characters") }
        return text
    }

    static func optionalText(_ raw: String?, field: String, max: Int, into issues: inout ValidationCollector) -> String? {
        guard let text = raw?.trimmedNonEmpty else { return nil }
        if text.count > max { issues.add(field, "at most \(max) characters") }
        return text
    }

    static func taxID(_ raw: String?, into issues: inout ValidationCollector) -> TaxID? {
        guard let raw = raw?.trimmedNonEmpty else {
            issues.add("tax_id", "the INN is required")
            return nil
        }
        do {
            return try TaxID(raw)
        } catch {
            issues.add("tax_id", error.message)
            return nil
        }
    }

    static func kpp(_ kpp: String?, taxID: TaxID?, into issues: inout ValidationCollector) -> String? {
        guard let kpp else { return nil }
        if !KPP.isValid(kpp) {
            issues.add("kpp", "a KPP has 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits")
        } else if let taxID, !taxID.isOrganisation {
            issues.add("kpp", "an individual entrepreneur (12-digit INN) has no KPP")
        }
        return kpp
    }

    static func contacts(_ contacts: [Contact], into issues: inout ValidationCollector) -> [Contact] {
        if contacts.count > Contact.maxCount {
            issues.add("contacts", "at most \(Contact.maxCount) contacts")
        }
        return contacts.enumerated().map { index, contact in
            contact.normalized(path: "contacts[\(index)]", into: &issues)
        }
    }
}
