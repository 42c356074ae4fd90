import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Checks the bearer key of a request against the route's roles: 401 without a valid key, 403 when
/// the key's role is not among those the route allows, and 403 when a dealer's key reaches for a
/// dealer other than its own. A route opens to dealer keys by listing `.dealer`; the dealer it serves
/// is its `{id}` (a route without one never serves a dealer key), unless the route says its resource
/// names its dealer, which its handler then checks.
///
/// An authenticated key then spends a token of its role's rate limit: past it, 429 with `Retry-After`.
///
/// Under `auth.manager_scope: own` a manager key reaches a dealer's routes (`/v1/dealers/{id}/…`) only
/// for its own dealers, else 403 `outside_manager_scope`; the lists it reads are filtered by the
/// visibility set here.
struct Authenticator: Sendable {
    let store: Store
    let rateLimiter: RateLimiter
    let managerScope: ManagerScope

    func authorize(_ request: Request, context: inout APIContext, route: APIRoute) async throws {
        guard case .roles(let allowed) = route.access else { return }
        guard let header = request.headers[.authorization] else { throw Problem.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty, let key = try await store.authenticate(secret: secret) else {
            throw Problem.unauthorized
        }
        let caller = Caller(name: key.name, role: key.role, dealerID: key.dealerID, managerID: key.managerID)
        context.actor = caller
        context.logger[metadataKey: "actor"] = .string(key.name)
        if let wait = rateLimiter.admit(key: key.id, role: key.role, now: store.clock.now()) {
            throw Problem.tooManyRequests(retryAfter: wait, role: key.role)
        }
        guard allowed.contains(key.role) else { throw Problem.forbidden(role: key.role, allowed: allowed) }
        context.visibility = DealerVisibility.of(caller, scope: managerScope)
        if context.visibility == .managedBy(nil) { throw Problem.unboundManagerKey }
        if context.visibility != .all, route.path.hasPrefix("/v1/dealers/{id}"),
            let asked = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            try await !store.isVisible(dealerID: asked, to: context.visibility)
        {
            throw Problem.outsideManagerScope
        }
        if key.role == .dealer && route.dealerScope == .pathID {
            guard let own = key.dealerID, let asked = context.parameters.get("id").flatMap(UUID.init(uuidString:)), asked == own
            else { throw Problem.otherDealer }
        }
    }
}

extension APIContext {
    /// The caller, on a route that requires a key.
    var caller: Caller {
        get throws {
            guard let actor else { throw Problem.unauthorized }
            return actor
        }
    }
}
