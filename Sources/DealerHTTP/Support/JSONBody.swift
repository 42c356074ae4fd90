import DealerCore
import Foundation
import HTTPTypes
import Hummingbird

/// Reading JSON request bodies and writing JSON responses in dealerd's dialect.
enum JSONBody {
    /// Decodes the body, answering 413 past the size limit, 400 for text that is not JSON and 422 with
    /// the field's path for JSON of the wrong shape.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, limit: Int, setting: String = "http.max_body_bytes"
    ) async throws -> T {
        let buffer = try await collect(request, limit: limit, setting: setting)
        guard buffer.readableBytes > 0 else {
            throw Problem(.badRequest, code: "malformed_json", title: "Malformed JSON", detail: "the request has no body; send a JSON object")
        }
        let data = Data(buffer.readableBytesView)
        try refuseNUL(in: data)
        do {
            return try DealerJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(for: error, in: data)
        }
    }

    /// Text with a NUL character is refused (422 naming the field): PostgreSQL cannot store it and
    /// SQLite would read it back cut short, so what is written could not be read back. The bytes are
    /// searched first, so the common body costs one scan and no second decoding.
    static func refuseNUL(in data: Data) throws {
        guard mayHoldNUL(data) else { return }
        func find(_ value: JSONValue, _ path: String) -> String? {
            switch value {
            case .string(let text): return text.contains("\0") ? path : nil
            case .array(let items):
                for (index, item) in items.enumerated() { if let found = find(item, "\(path)[\(index)]") { return found } }
                return nil
            case .object(let members):
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    if key.contains("\0") { return path.isEmpty ? "body" : path }
                    if let found = find(member, path.isEmpty ? key : "\(path).\(key)") { return found }
                }
                return nil
            default: return nil
            }
        }
        // A body our JSON model cannot read (a number past Decimal, say) is judged by its bytes.
        guard let value = try? DealerJSON.decoder().decode(JSONValue.self, from: data) else {
            throw ValidationError(field: "body", "text may not contain a NUL character (U+0000)")
        }
        if let field = find(value, "") {
            throw ValidationError(field: field.isEmpty ? "body" : field, "text may not contain a NUL character (U+0000)")
        }
    }

    /// One pass over the bytes for a raw NUL or the escape `\u0000`. A false alarm (an escaped
    /// backslash before `u0000`) only costs the decoding that looks closer.
    static func mayHoldNUL(_ data: Data) -> Bool {
        let escape = Array(#"\u0000"#.utf8)
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0 { return true }
                if byte == escape[0], index + escape.count <= bytes.count,
                    (1..<escape.count).allSatisfy({ bytes[index + $0] == escape[$0] })
                {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    /// The whole body, or a 413 naming the setting that limits it.
    static func collect(_ request: Request, limit: Int, setting: String) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw Problem(
                .contentTooLarge, code: "too_large", title: "Request body too large",
                detail: "the body may have at most \(limit) bytes (\(setting))")
        }
    }

    static func problem(for error: DecodingError, in data: Data) -> any Error {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            if let fields = JSONNumberScan.unfitNumbers(in: data), !fields.isEmpty {
                return ValidationError(
                    fields.map {
                        FieldIssue(
                            field: $0,
                            message:
                                "a number this field cannot hold: a whole number up to 9223372036854775807 where one is expected, an amount as text")
                    })
            }
            return Problem(
                .badRequest, code: "malformed_json", title: "Malformed JSON",
                detail: "the body is not valid JSON: \(describe(context.underlyingError) ?? context.debugDescription)")
        case .dataCorrupted(let context):
            return ValidationError(field: path(context.codingPath), context.debugDescription)
        case .typeMismatch(let expected, let context):
            if context.codingPath.isEmpty {
                return Problem(
                    .unprocessableContent, code: "validation", title: "The request content is not valid",
                    detail: "the body must be \(jsonName(of: expected))",
                    invalidParams: [FieldIssue(field: "", message: "expected \(jsonName(of: expected))")])
            }
            return ValidationError(field: path(context.codingPath), "expected \(jsonName(of: expected))")
        case .valueNotFound(let expected, let context):
            return ValidationError(field: path(context.codingPath), "expected \(jsonName(of: expected)), got null")
        case .keyNotFound(let key, let context):
            return ValidationError(field: path(context.codingPath + [key]), "required")
        @unknown default:
            return ValidationError(field: "", "the body does not have the expected shape")
        }
    }

    private static func describe(_ error: (any Error)?) -> String? {
        guard let error else { return nil }
        let text = "\(error)"
        return text.isEmpty ? nil : text
    }

    /// `contacts[0].email`
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Bool.Type, is Bool?.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int?.Type, is Decimal.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try DealerJSON.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A list answer: `{ "items": [...], "next_cursor": "…" | null }`.
struct ListResponse<Item: Encodable>: Encodable {
    var items: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
