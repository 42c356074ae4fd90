import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into problem+json. Errors the caller can fix become 4xx and are logged at debug;
/// anything else is a 500 whose details go to the log only, tagged with an id the client can quote.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, request: request, context: context)
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error, request: Request, context: Context) -> Problem {
        let problem: Problem
        switch error {
        case let error as Problem: problem = error
        case let error as ValidationError: problem = .validation(error)
        case let error as DomainError: problem = .domain(error)
        case let error as HTTPError: problem = Self.problem(for: error)
        case let error where NumericOverflow.matches(error):
            problem = Problem(
                .unprocessableContent, code: "amount_out_of_range", title: "The amounts add up to more than an amount can hold",
                detail: "the dealer's totals with this request would pass the largest amount dealerd keeps; nothing was written")
        default:
            let incident = UUID().lowercased
            context.logger.error(
                "request failed",
                metadata: [
                    "incident": .string(incident), "method": .string(request.method.rawValue),
                    "path": .string(request.uri.path), "error": .string(String(reflecting: error)),
                ])
            return Problem(
                .internalServerError, code: "internal", title: "Internal error",
                detail: "the server could not complete the request; quote incident \(incident) when reporting it",
                extensions: ["incident": .string(incident)])
        }
        context.logger.debug(
            "request refused",
            metadata: ["status": .stringConvertible(problem.status.code), "code": .string(problem.code), "path": .string(request.uri.path)])
        return problem
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound:
            return Problem(.notFound, code: "not_found", title: "Not found", detail: error.body ?? "no such route")
        case .methodNotAllowed:
            return Problem(.methodNotAllowed, code: "method_not_allowed", title: "Method not allowed", detail: error.body)
        case .contentTooLarge:
            return Problem(.contentTooLarge, code: "too_large", title: "Request body too large", detail: error.body)
        default:
            return Problem(
                error.status, code: "http_\(error.status.code)", title: error.status.reasonPhrase, detail: error.body)
        }
    }
}
