import Foundation

/// Any JSON document, kept exactly (numbers as decimals) so that stored payloads (audit before/after,
/// event data) are served back as they were written.
public enum JSONValue: Sendable, Equatable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let list = try? container.decode([JSONValue].self) {
            self = .array(list)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// The one JSON dialect of dealerd: snake_case keys come from each type's coding keys, instants are
/// RFC 3339 UTC with milliseconds, output keys sorted so stored documents compare byte for byte.
public enum DealerJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 instant such as 2026-11-25T09:30:00Z")
            }
            return date
        }
        return decoder
    }

    /// Encodes a value to a `JSONValue` (for event data and audit snapshots).
    public static func value(of encodable: some Encodable) -> JSONValue {
        // Our own Codable types encode (only a non-finite Double would not, and none holds one); should
        // one ever fail, the snapshot says so instead of stopping the process.
        do {
            return try decoder().decode(JSONValue.self, from: try encoder().encode(encodable))
        } catch {
            return .object(["unencodable": .string(String(describing: type(of: encodable)))])
        }
    }

    public static func string(of encodable: some Encodable) -> String {
        String(decoding: (try? encoder().encode(encodable)) ?? Data("null".utf8), as: UTF8.self)
    }
}
