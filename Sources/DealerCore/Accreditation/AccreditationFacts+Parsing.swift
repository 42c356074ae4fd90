import Foundation

extension AccreditationFacts {
    /// Facts as a manager types them for a prospect (the API's `facts`, the CLI's `--facts` file):
    /// `attributes`, `region`, `segment`, `documents` ([{kind, expires}]), `accredited_in_region`,
    /// `accredited_in_region_and_segment`, `max_overdue_days`. Field paths in errors start at `prefix`.
    public init(parsing document: JSONValue, prefix: String = "facts.") throws(ValidationError) {
        var issues = ValidationCollector()
        guard case .object(let object) = document else { throw ValidationError(field: String(prefix.dropLast()), "an object of facts") }
        var attributes: [String: AttributeValue] = [:]
        if let value = object["attributes"] {
            if case .object(let items) = value {
                for (name, item) in items {
                    switch item {
                    case .number(let number): attributes[name] = .number(number)
                    case .bool(let flag): attributes[name] = .bool(flag)
                    case .string(let text): attributes[name] = .string(text)
                    case .null: break
                    default: issues.add(prefix + "attributes.\(name)", "a number, yes/no or text")
                    }
                }
            } else {
                issues.add(prefix + "attributes", "an object of attributes")
            }
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case .string(let value)?: return value.trimmedNonEmpty
            case nil, .null?: return nil
            default:
                issues.add(prefix + key, "text")
                return nil
            }
        }
        func count(_ key: String) -> Int? {
            switch object[key] {
            case .number(let value)?:
                guard let int = Int(exactly: NSDecimalNumber(decimal: value).doubleValue), int >= 0 else {
                    issues.add(prefix + key, "a whole number, not negative")
                    return nil
                }
                return int
            case nil, .null?: return nil
            default:
                issues.add(prefix + key, "a whole number")
                return nil
            }
        }
        var documents: [String: CivilDate?]?
        switch object["documents"] {
        case .array(let items)?:
            var found: [String: CivilDate?] = [:]
            for (index, item) in items.enumerated() {
                guard case .object(let fields) = item, case .string(let kind)? = fields["kind"], !kind.isEmpty else {
                    issues.add(prefix + "documents[\(index)].kind", "required")
                    continue
                }
                switch fields["expires"] {
                case .string(let text)?:
                    guard let date = CivilDate(parsing: text) else {
                        issues.add(prefix + "documents[\(index)].expires", "a date such as 2027-06-30")
                        continue
                    }
                    found[kind] = .some(date)
                case nil, .null?: found[kind] = .some(nil)
                default: issues.add(prefix + "documents[\(index)].expires", "a date such as 2027-06-30")
                }
            }
            documents = found
        case nil, .null?: documents = nil
        default: issues.add(prefix + "documents", "a list of {kind, expires}")
        }
        let facts = AccreditationFacts(
            attributes: attributes, region: text("region"), segment: text("segment"), documents: documents,
            accreditedInRegion: count("accredited_in_region"), accreditedInRegionAndSegment: count("accredited_in_region_and_segment"),
            maxOverdueDays: count("max_overdue_days"))
        try issues.check()
        self = facts
    }
}
