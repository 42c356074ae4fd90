import Foundation

/// Encodes a value to a `JSONValue` in dealerd's JSON convention, so a type needs neither coding
/// keys nor a hand-written `encode(to:)` to meet it:
/// - keys in snake_case (`SnakeCase.key`); a `[String: …]` dictionary keeps its keys as they are;
/// - an absent optional is written as `null`, so every document of a type has the same members;
/// - `UUID` in lower case, `Date` as an RFC 3339 instant (`Timestamp`), `Decimal` as a number.
///
/// Foundation's `JSONEncoder` can do none of the middle two, which is why older types still carry
/// their own `encode(to:)`.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let node = EncodingNode()
        try node.store(value, codingPath: [])
        return node.value
    }
}

/// The document being built; containers write into it after it was handed out, hence a class.
final class EncodingNode {
    private enum Content {
        case unset
        case value(JSONValue)
        case object([String: EncodingNode])
        case array([EncodingNode])
    }

    private var content = Content.unset

    var value: JSONValue {
        switch content {
        case .unset: .null
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.value))
        case .array(let items): .array(items.map(\.value))
        }
    }

    func set(_ value: JSONValue) { content = .value(value) }

    func member(_ key: String) -> EncodingNode {
        var members: [String: EncodingNode] = [:]
        if case .object(let existing) = content { members = existing }
        let node = members[key] ?? EncodingNode()
        members[key] = node
        content = .object(members)
        return node
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func appended() -> EncodingNode {
        var items: [EncodingNode] = []
        if case .array(let existing) = content { items = existing }
        let node = EncodingNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var count: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }

    func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: set(json)
        case let id as UUID: set(.string(id.lowercased))
        case let date as Date: set(.string(Timestamp.format(date)))
        case let decimal as Decimal: set(.number(decimal))
        case let url as URL: set(.string(url.absoluteString))
        case let dictionary as any StringKeyedEncodable:
            makeObject()
            try dictionary.encodeMembers(into: self, codingPath: codingPath)
        default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
        }
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "not a finite number"))
        }
        return .number(Decimal(value))
    }
}

/// A dictionary keyed by strings: its keys are data (attribute names, link names), not property
/// names, so the snake_case convention does not touch them.
protocol StringKeyedEncodable {
    func encodeMembers(into node: EncodingNode, codingPath: [any CodingKey]) throws
}

extension Dictionary: StringKeyedEncodable where Key == String, Value: Encodable {
    func encodeMembers(into node: EncodingNode, codingPath: [any CodingKey]) throws {
        for (key, value) in self {
            try node.member(key).store(value, codingPath: codingPath + [PlainKey(key)])
        }
    }
}

struct PlainKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(NodeKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return NodeUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        NodeSingleValueContainer(node: node, codingPath: codingPath)
    }
}

struct NodeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> EncodingNode { node.member(SnakeCase.key(key.stringValue)) }

    mutating func encodeNil(forKey key: Key) throws { child(key).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        child(key).set(try EncodingNode.number(value, codingPath: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        child(key).set(try EncodingNode.number(Double(value), codingPath: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).set(.number(Decimal(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { child(key).set(.number(Decimal(Int(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { child(key).set(.number(Decimal(Int(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { child(key).set(.number(Decimal(Int(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).set(.number(Decimal(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { child(key).set(.number(Decimal(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { child(key).set(.number(Decimal(UInt(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { child(key).set(.number(Decimal(UInt(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { child(key).set(.number(Decimal(UInt(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).set(.number(Decimal(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try child(key).store(value, codingPath: codingPath + [key])
    }

    // The synthesized encoders call these for optionals; writing null instead of leaving the key out
    // is the convention's second rule.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOrNil(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encodeOrNil(value, key) }

    private mutating func encodeOrNil<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = child(key)
        nested.makeObject()
        return KeyedEncodingContainer(NodeKeyedContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = child(key)
        nested.makeArray()
        return NodeUnkeyedContainer(node: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.member("super"), codingPath: codingPath + [PlainKey("super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: child(key), codingPath: codingPath + [key])
    }
}

struct NodeUnkeyedContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    private var nextPath: [any CodingKey] { codingPath + [PlainKey(intValue: node.count) ?? PlainKey("")] }

    mutating func encodeNil() throws { node.appended().set(.null) }
    mutating func encode(_ value: Bool) throws { node.appended().set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.appended().set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.appended().set(try EncodingNode.number(value, codingPath: nextPath)) }
    mutating func encode(_ value: Float) throws { node.appended().set(try EncodingNode.number(Double(value), codingPath: nextPath)) }
    mutating func encode(_ value: Int) throws { node.appended().set(.number(Decimal(value))) }
    mutating func encode(_ value: Int64) throws { node.appended().set(.number(Decimal(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try node.appended().store(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let nested = node.appended()
        nested.makeObject()
        return KeyedEncodingContainer(NodeKeyedContainer<NestedKey>(node: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let nested = node.appended()
        nested.makeArray()
        return NodeUnkeyedContainer(node: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return NodeEncoder(node: node.appended(), codingPath: path)
    }
}

struct NodeSingleValueContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(try EncodingNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { node.set(try EncodingNode.number(Double(value), codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { node.set(.number(Decimal(value))) }
    mutating func encode(_ value: Int64) throws { node.set(.number(Decimal(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.store(value, codingPath: codingPath) }
}
