import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request, with method, route, status and duration; never headers or bodies,
/// which carry keys and personal data.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        // Hummingbird already tags the request's logger with `hb.request.id`.
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let level: Logger.Level = response.status.code >= 500 ? .error : .info
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "ms": .string(String(format: "%.1f", Double(elapsed / .microseconds(1)) / 1000)),
            ])
        return response
    }
}
