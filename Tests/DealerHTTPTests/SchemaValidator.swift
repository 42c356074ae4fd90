import DealerCore
import Foundation

/// Checks a JSON document against a schema of the served OpenAPI document: the part of JSON Schema
/// 2020-12 that document uses (`$ref`, `allOf`, `type`, `const`, `enum`, `required`, `properties`,
/// `additionalProperties`, `items`, `format`, `pattern`). Answers every mismatch with its path.
struct SchemaValidator {
    let components: [String: Any]

    init(document: [String: Any]) {
        components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    func problems(_ value: JSONValue, against schema: Any?, at path: String = "$") -> [String] {
        guard var node = schema as? [String: Any] else { return ["\(path): no schema"] }
        var found: [String] = []
        if let reference = node["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = components[name] else { return ["\(path): unknown schema \(reference)"] }
            found += problems(value, against: target, at: path)
            node["$ref"] = nil
        }
        for part in node["allOf"] as? [Any] ?? [] { found += problems(value, against: part, at: path) }
        if let types = Self.types(node["type"]), !types.contains(where: { Self.matches(value, type: $0) }) {
            return found + ["\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if let constant = node["const"], !Self.equal(value, constant) { found.append("\(path): \(Self.describe(value)) is not \(constant)") }
        if let options = node["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            found.append("\(path): \(Self.describe(value)) is none of \(options)")
        }
        switch value {
        case .object(let members):
            let properties = node["properties"] as? [String: Any] ?? [:]
            for name in node["required"] as? [String] ?? [] where members[name] == nil { found.append("\(path): \(name) is missing") }
            for (name, member) in members {
                if let property = properties[name] {
                    found += problems(member, against: property, at: "\(path).\(name)")
                } else if node["additionalProperties"] as? Bool == false {
                    found.append("\(path): \(name) is not described")
                } else if let extra = node["additionalProperties"] as? [String: Any] {
                    found += problems(member, against: extra, at: "\(path).\(name)")
                }
            }
        case .array(let items):
            if let itemSchema = node["items"] {
                for (index, item) in items.enumerated() { found += problems(item, against: itemSchema, at: "\(path)[\(index)]") }
            }
        case .string(let text):
            if let format = node["format"] as? String, !Self.holds(text, format: format) {
                found.append("\(path): \(text) is not a \(format)")
            }
            if let pattern = node["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \(text) does not match \(pattern)")
            }
        default: break
        }
        return found
    }

    private static func types(_ raw: Any?) -> [String]? {
        if let one = raw as? String { return [one] }
        return raw as? [String]
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"):
            true
        case (.number(let number), "integer"): number == number.rounded()
        default: false
        }
    }

    private static func equal(_ value: JSONValue, _ expected: Any) -> Bool {
        switch value {
        case .null: expected is NSNull
        case .string(let text): (expected as? String) == text
        case .bool(let flag): (expected as? Bool) == flag
        case .number(let number): (expected as? Int).map { Decimal($0) == number } ?? false
        default: false
        }
    }

    private static func holds(_ text: String, format: String) -> Bool {
        switch format {
        // The API writes ids in lower case; an upper-case one would be a second spelling.
        case "uuid": UUID(uuidString: text) != nil && text == text.lowercased()
        case "date": CivilDate(parsing: text) != nil
        case "date-time": Timestamp.parse(text) != nil
        default: true
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "\(number)"
        case .string(let text): "\"\(text)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension Decimal {
    fileprivate func rounded() -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, 0, .plain)
        return result
    }
}
