import Foundation

/// A free-form fact about a dealer (showroom area, own warehouse, legal form) that accreditation
/// profiles test. Numbers are exact decimals: a turnover of 30 000 000.00 must compare exactly.
public enum AttributeValue: Sendable, Equatable, Hashable, Codable {
    case number(Decimal)
    case bool(Bool)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: some decoders would read `true` as the number 1.
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an attribute is a number, a boolean or a string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

public enum Attributes {
    public static let maxCount = 200
    public static let maxStringLength = 2000

    /// Attribute names are stable identifiers that profiles refer to: `showroom_area_m2`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase, name.count <= 64 else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    public static func validate(_ attributes: [String: AttributeValue], into collector: inout ValidationCollector) {
        if attributes.count > maxCount {
            collector.add("attributes", "at most \(maxCount) attributes")
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            if !isValidName(name) {
                collector.add(
                    "attributes.\(name)",
                    "an attribute name starts with a small Latin letter and has only a-z, 0-9 and _ (at most 64)")
            }
            if case .string(let text) = value, text.count > maxStringLength {
                collector.add("attributes.\(name)", "at most \(maxStringLength) characters")
            }
        }
    }
}
