import Foundation

/// A profile file that cannot be used, with the file and the criterion named.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problems: [String]

    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    public var description: String { "\(file): " + problems.joined(separator: "; ") }
}

extension AccreditationProfile {
    /// Reads a profile document (YAML turned into JSON values by the caller). Every problem is
    /// reported at once, each naming the criterion it is in.
    public init(parsing document: JSONValue, file: String) throws(ProfileError) {
        var problems: [String] = []
        guard case .object(let root) = document else {
            throw ProfileError(file: file, problems: ["a profile is a mapping of name, version, criteria …"])
        }
        func text(_ key: String, in object: [String: JSONValue], at place: String, required: Bool = true) -> String? {
            switch object[key] {
            case .string(let value) where !value.trimmingCharacters(in: .whitespaces).isEmpty: return value
            case .number(let value): return "\(value)"
            case nil, .null?:
                if required { problems.append("\(place)\(key) is required") }
                return nil
            default:
                problems.append("\(place)\(key) must be text")
                return nil
            }
        }
        func number(_ key: String, in object: [String: JSONValue], at place: String, required: Bool = true) -> Decimal? {
            switch object[key] {
            case .number(let value): return value
            case nil, .null?:
                if required { problems.append("\(place)\(key) is required") }
                return nil
            default:
                problems.append("\(place)\(key) must be a number")
                return nil
            }
        }
        func whole(_ key: String, in object: [String: JSONValue], at place: String, range: ClosedRange<Int>, required: Bool = true) -> Int? {
            guard let value = number(key, in: object, at: place, required: required) else { return nil }
            guard let int = Int(exactly: NSDecimalNumber(decimal: value).doubleValue), Decimal(int) == value, range.contains(int) else {
                problems.append("\(place)\(key) must be a whole number in \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return int
        }
        func flag(_ key: String, in object: [String: JSONValue], at place: String) -> Bool {
            switch object[key] {
            case .bool(let value): return value
            case nil, .null?: return false
            default:
                problems.append("\(place)\(key) must be true or false")
                return false
            }
        }
        func strings(_ key: String, in object: [String: JSONValue], at place: String) -> [String] {
            guard case .array(let items)? = object[key], !items.isEmpty else {
                problems.append("\(place)\(key) must be a non-empty list")
                return []
            }
            return items.compactMap { item in
                if case .string(let value) = item, !value.isEmpty { return value }
                problems.append("\(place)\(key) must list text values")
                return nil
            }
        }

        let name = text("name", in: root, at: "") ?? ""
        if !name.isEmpty && !Attributes.isValidName(name) { problems.append("name must be lower-case letters, digits and _ (\(name))") }
        let version = text("version", in: root, at: "") ?? ""
        let title = text("title", in: root, at: "", required: false) ?? name
        let validity = whole("validity_months", in: root, at: "", range: 1...120, required: false) ?? 12
        let passMark = number("pass_mark", in: root, at: "") ?? 0
        if passMark < 0 { problems.append("pass_mark must not be negative") }

        var criteria: [ProfileCriterion] = []
        var seen: Set<String> = []
        if case .array(let items)? = root["criteria"], !items.isEmpty {
            for (index, item) in items.enumerated() {
                guard case .object(let object) = item else {
                    problems.append("criteria[\(index)] must be a mapping")
                    continue
                }
                let id = text("id", in: object, at: "criteria[\(index)].") ?? "criteria[\(index)]"
                let place = "criterion \(id): "
                if !seen.insert(id).inserted { problems.append("\(place)duplicate criterion id") }
                let criterionTitle = text("title", in: object, at: place) ?? id
                let weight = number("weight", in: object, at: place) ?? 0
                if weight < 0 { problems.append("\(place)weight must not be negative") }
                let knockOut = flag("knock_out", in: object, at: place)
                let kind = text("kind", in: object, at: place) ?? ""
                var rule: CriterionRule?
                switch kind {
                case "threshold":
                    let attribute = text("attribute", in: object, at: place) ?? ""
                    let min = number("min", in: object, at: place, required: false)
                    let max = number("max", in: object, at: place, required: false)
                    if min == nil && max == nil && object["min"] == nil && object["max"] == nil {
                        problems.append("\(place)a threshold needs min, max or both")
                    }
                    if let min, let max, min > max { problems.append("\(place)min is above max") }
                    rule = .threshold(attribute: attribute, min: min, max: max, unit: text("unit", in: object, at: place, required: false))
                case "required":
                    rule = .required(attribute: text("attribute", in: object, at: place) ?? "")
                case "one_of":
                    rule = .oneOf(fact: text("fact", in: object, at: place) ?? "", values: strings("values", in: object, at: place))
                case "documents":
                    rule = .documents(kinds: strings("kinds", in: object, at: place))
                case "territory_capacity":
                    rule = .territoryCapacity(
                        max: whole("max", in: object, at: place, range: 1...10_000) ?? 1,
                        perSegment: flag("per_segment", in: object, at: place))
                case "financial_discipline":
                    rule = .financialDiscipline(
                        maxOverdueDays: whole("max_overdue_days", in: object, at: place, range: 0...3650) ?? 0,
                        months: whole("months", in: object, at: place, range: 1...120) ?? 12)
                case "":
                    break
                default:
                    problems.append("\(place)unknown kind \(kind); one of \(CriterionRule.kinds.joined(separator: ", "))")
                }
                if let rule { criteria.append(ProfileCriterion(id: id, title: criterionTitle, weight: weight, knockOut: knockOut, rule: rule)) }
            }
        } else {
            problems.append("criteria must be a non-empty list")
        }
        let profile = AccreditationProfile(
            name: name, version: version, title: title, validityMonths: validity, passMark: passMark, criteria: criteria)
        if problems.isEmpty && passMark > profile.maxScore {
            problems.append("pass_mark \(passMark) is above the maximum score \(profile.maxScore)")
        }
        guard problems.isEmpty else { throw ProfileError(file: file, problems: problems) }
        self = profile
    }
}
