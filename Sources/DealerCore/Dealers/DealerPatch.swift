import Foundation

/// One field of a partial update: left alone, set, or (for optional fields) cleared.
/// Mirrors JSON Merge Patch: an absent member is `.unchanged`, `null` is `.clear`.
public enum FieldUpdate<Value: Sendable & Equatable>: Sendable, Equatable {
    case unchanged
    case set(Value)
    case clear
}

/// A partial update of a dealer. Status is not here: it moves only through the lifecycle.
public struct DealerPatch: Sendable, Equatable {
    public var code: FieldUpdate<String> = .unchanged
    public var name: FieldUpdate<String> = .unchanged
    public var legalName: FieldUpdate<String> = .unchanged
    public var taxID: FieldUpdate<String> = .unchanged
    public var kpp: FieldUpdate<String> = .unchanged
    public var region: FieldUpdate<String> = .unchanged
    public var city: FieldUpdate<String> = .unchanged
    public var segment: FieldUpdate<String> = .unchanged
    public var managerID: FieldUpdate<UUID> = .unchanged
    public var serviceSpecialistID: FieldUpdate<UUID> = .unchanged
    public var contacts: FieldUpdate<[Contact]> = .unchanged
    /// Merged key by key: a `null` value removes that attribute.
    public var attributes: [String: AttributeValue?] = [:]

    public init() {}

    /// The dealer after this patch, checked as a whole (a new INN must still agree with the KPP).
    public func applied(to dealer: Dealer, now: Date) throws(ValidationError) -> Dealer {
        var issues = ValidationCollector()
        var result = dealer
        for (field, update) in [("code", code), ("name", name), ("legal_name", legalName), ("tax_id", taxID)] {
            if case .clear = update { issues.add(field, "required; it cannot be removed") }
        }
        if case .set(let value) = code { result.code = DealerRules.code(value, into: &issues) ?? dealer.code }
        if case .set(let value) = name {
            result.name = DealerRules.requiredText(value, field: "name", max: 300, into: &issues) ?? dealer.name
        }
        if case .set(let value) = legalName {
            result.legalName =
                DealerRules.requiredText(value, field: "legal_name", max: 500, into: &issues) ?? dealer.legalName
        }
        if case .set(let value) = taxID { result.taxID = DealerRules.taxID(value, into: &issues) ?? dealer.taxID }
        result.kpp = Self.apply(kpp, to: dealer.kpp)
        result.kpp = DealerRules.kpp(result.kpp?.trimmedNonEmpty, taxID: result.taxID, into: &issues)
        result.region = DealerRules.optionalText(
            Self.apply(region, to: dealer.region), field: "region", max: 200, into: &issues)
        result.city = DealerRules.optionalText(Self.apply(city, to: dealer.city), field: "city", max: 200, into: &issues)
        result.segment = DealerRules.optionalText(
            Self.apply(segment, to: dealer.segment), field: "segment", max: 100, into: &issues)
        result.managerID = Self.apply(managerID, to: dealer.managerID)
        result.serviceSpecialistID = Self.apply(serviceSpecialistID, to: dealer.serviceSpecialistID)
        switch contacts {
        case .unchanged: break
        case .clear: result.contacts = []
        case .set(let list): result.contacts = DealerRules.contacts(list, into: &issues)
        }
        for (name, value) in attributes {
            result.attributes[name] = value
        }
        Attributes.validate(result.attributes.filter { attributes.keys.contains($0.key) }, into: &issues)
        if result.attributes.count > Attributes.maxCount {
            issues.add("attributes", "at most \(Attributes.maxCount) attributes")
        }
        try issues.check()
        if result != dealer { result.updatedAt = now }
        return result
    }

    private static func apply<T>(_ update: FieldUpdate<T>, to current: T?) -> T? {
        switch update {
        case .unchanged: current
        case .set(let value): value
        case .clear: nil
        }
    }
}
