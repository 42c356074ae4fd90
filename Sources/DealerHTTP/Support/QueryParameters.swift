import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Typed reading of query parameters: a value that does not parse is a 422 naming the parameter,
/// never silently ignored.
struct QueryParameters {
    let request: Request

    func string(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map { String($0) }?.trimmedNonEmpty
    }

    /// No parameter may hold a NUL character: no database stores one as text, so a filter with one
    /// could only fail. Checked once for every route, before its handler.
    static func refuseNUL(in request: Request) throws {
        for (name, value) in request.uri.queryParameters where value.contains("\0") || name.contains("\0") {
            throw ValidationError(field: String(name), "may not contain a NUL character (U+0000)")
        }
    }

    func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw ValidationError(field: name, "expected a whole number") }
        return value
    }

    func int64(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text), value >= 0 else { throw ValidationError(field: name, "expected a cursor (a non-negative whole number)") }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ValidationError(field: name, "expected true or false")
        }
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let text = string(name) else { return nil }
        guard let value = UUID(uuidString: text) else { throw ValidationError(field: name, "expected a UUID") }
        return value
    }

    func date(_ name: String) throws -> CivilDate? {
        guard let text = string(name) else { return nil }
        guard let value = CivilDate(parsing: text) else { throw ValidationError(field: name, "expected a date such as 2026-11-25") }
        return value
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw ValidationError(field: name, "expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// `cursor` and `limit` of a paged list. Synchronous, like every query parsing here (see
    /// `DealersController.query(from:)`).
    static func page(of request: Request) throws -> PageRequest {
        let query = QueryParameters(request: request)
        return PageRequest(cursor: query.string("cursor"), limit: try query.limit())
    }

    func limit() throws -> Int {
        try PageSize.validate(try int("limit"))
    }
}

extension APIContext {
    /// The `{id}` path parameter as a UUID; anything else is a 404, since no such resource can exist.
    func uuidParameter(_ name: String = "id", entity: String) throws -> UUID {
        let text = parameters.get(name) ?? ""
        guard let id = UUID(uuidString: text) else { throw DomainError.notFound(entity: entity, id: text) }
        return id
    }
}
