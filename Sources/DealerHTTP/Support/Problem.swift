import DealerCore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem document: every error dealerd answers with.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable code clients can switch on; served as `type` (`urn:dealerd:problem:CODE`).
    public var code: String
    public var title: String
    public var detail: String?
    /// For validation errors: every field at fault.
    public var invalidParams: [FieldIssue] = []
    /// Members specific to one problem (`allowed` transitions, `request_id`).
    public var extensions: [String: JSONValue] = [:]
    /// `Retry-After` in seconds, for 429 and 503.
    public var retryAfter: Int?

    public init(
        _ status: HTTPResponse.Status, code: String, title: String, detail: String? = nil,
        invalidParams: [FieldIssue] = [], extensions: [String: JSONValue] = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.invalidParams = invalidParams
        self.extensions = extensions
    }

    public var document: JSONValue {
        var members = extensions
        members["type"] = .string("urn:dealerd:problem:\(code)")
        members["title"] = .string(title)
        members["status"] = .number(Decimal(status.code))
        if let detail { members["detail"] = .string(detail) }
        if !invalidParams.isEmpty {
            members["invalid_params"] = .array(
                invalidParams.map { .object(["name": .string($0.field), "reason": .string($0.message)]) })
        }
        return .object(members)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"dealerd\"" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = try DealerJSON.encoder().encode(document)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem {
    static func validation(_ error: ValidationError) -> Problem {
        let summary = error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return Problem(
            .unprocessableContent, code: "validation", title: "The request content is not valid",
            detail: summary, invalidParams: error.issues)
    }

    static func domain(_ error: DomainError) -> Problem {
        switch error {
        case .notFound(let entity, let id):
            return Problem(.notFound, code: "not_found", title: "Not found", detail: "no \(entity) with id \(id)")
        case .conflict(let field, let message):
            return Problem(
                .conflict, code: "conflict", title: "Conflict", detail: message,
                invalidParams: field.isEmpty ? [] : [FieldIssue(field: field, message: message)])
        case .invalidTransition(let from, let to, let allowed):
            let options = allowed.isEmpty ? "none: \(from) is final" : allowed.joined(separator: ", ")
            return Problem(
                .conflict, code: "invalid_transition", title: "This status change is not allowed",
                detail: "a dealer cannot move from \(from) to \(to); allowed from \(from): \(options)",
                extensions: ["current_status": .string(from), "allowed": .array(allowed.map(JSONValue.string))])
        case .forbidden(let message):
            return Problem(.forbidden, code: "forbidden", title: "This key may not do this", detail: message)
        case .accreditationRequired(let from):
            return Problem(
                .conflict, code: "accreditation_required", title: "Accreditation is a decision, not a status change",
                detail:
                    "a \(from) dealer becomes accredited only through an accreditation decision: POST /v1/dealers/{id}/accreditations evaluates it against a profile (or records the head of sales' override with a reason)",
                extensions: ["current_status": .string(from), "use": .string("POST /v1/dealers/{id}/accreditations")])
        }
    }

    static func tooManyRequests(retryAfter seconds: Int, role: Role) -> Problem {
        var problem = Problem(
            .tooManyRequests, code: "rate_limited", title: "Too many requests for this key",
            detail: "keys of role \(role.rawValue) are limited (http.rate_limit); try again in \(seconds) s",
            extensions: ["retry_after_seconds": .number(Decimal(seconds))])
        problem.retryAfter = seconds
        return problem
    }

    static func deadlineExceeded(seconds: Int) -> Problem {
        var problem = Problem(
            .serviceUnavailable, code: "deadline_exceeded", title: "The request took too long",
            detail:
                "dealerd could not answer within \(seconds) s (http.request_timeout_seconds), most likely waiting for the database; the request may still complete, and repeating it is safe for writes that carry an external id"
        )
        problem.retryAfter = 1
        return problem
    }

    static let unauthorized = Problem(
        .unauthorized, code: "unauthorized", title: "Authentication required",
        detail: "send an API key as `Authorization: Bearer <key>`; keys are made with `dealerd apikey create`")

    static func forbidden(role: Role, allowed: Set<Role>) -> Problem {
        Problem(
            .forbidden, code: "forbidden", title: "This key's role may not do this",
            detail: "role \(role.rawValue) may not call this route; allowed: \(allowed.sorted().map(\.rawValue).joined(separator: ", "))")
    }

    /// Under `auth.manager_scope: own`, why a manager key may not do this.
    static func outsideManagerScope(_ why: String) -> Problem {
        Problem(.forbidden, code: "outside_manager_scope", title: "Not one of this manager's dealers", detail: "with auth.manager_scope own, " + why)
    }

    static let outsideManagerScope = outsideManagerScope("a manager key reaches only the dealers it manages or serves as service specialist")
    static let unboundManagerKey = outsideManagerScope("a manager key must be bound to a manager (dealerd apikey create --manager)")
    static let companyWideUnderOwnScope = outsideManagerScope("jobs over every dealer are started by an admin")

    static let otherDealer = Problem(
        .forbidden, code: "forbidden", title: "This key's role may not do this",
        detail: "a dealer key reads only its own dealer")
}
