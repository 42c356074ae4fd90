import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/webhooks`: endpoints, their secrets, the delivery log and recovery. Admins only: an endpoint
/// receives every dealer's data.
struct WebhooksController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/webhooks/event-types", .roles(.adminOnly)) { _, _ in
                try JSONBody.response(ListResponse(items: EventType.allCases.map(\.rawValue), nextCursor: nil))
            },
            APIRoute(.post, "/v1/webhooks/endpoints", .roles(.adminOnly)) { request, context in
                let body = try await JSONBody.decode(WebhookEndpointRequest.self, from: request, limit: settings.maxBodyBytes)
                let draft = body.draft
                // Every form problem first; only then a DNS lookup of a URL that is well formed.
                _ = try draft.validated(id: UUID(), now: Date())
                try checkReachable(draft.url)
                let (endpoint, secret) = try await store.createWebhookEndpoint(draft, by: try context.caller)
                var response = try JSONBody.response(EndpointWithSecret(endpoint: endpoint, secret: secret), status: .created)
                response.headers[.location] = "/v1/webhooks/endpoints/\(endpoint.id.lowercased)"
                return response
            },
            APIRoute(.get, "/v1/webhooks/endpoints", .roles(.adminOnly)) { request, _ in
                let page = try await store.webhookEndpoints(page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/webhooks/endpoints/{id}", .roles(.adminOnly)) { _, context in
                try JSONBody.response(try await store.webhookEndpoint(id: try context.uuidParameter(entity: "webhook endpoint")))
            },
            APIRoute(.patch, "/v1/webhooks/endpoints/{id}", .roles(.adminOnly)) { request, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                let body = try await JSONBody.decode(WebhookEndpointRequest.self, from: request, limit: settings.maxBodyBytes)
                let patch = try body.patch()
                if patch.url != nil { try checkReachable(patch.url) }
                return try JSONBody.response(try await store.updateWebhookEndpoint(id: id, patch, by: try context.caller))
            },
            APIRoute(.delete, "/v1/webhooks/endpoints/{id}", .roles(.adminOnly)) { _, context in
                try await store.deleteWebhookEndpoint(id: try context.uuidParameter(entity: "webhook endpoint"), by: try context.caller)
                return Response(status: .noContent)
            },
            APIRoute(.post, "/v1/webhooks/endpoints/{id}/enable", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                return try JSONBody.response(try await store.setWebhookEndpointEnabled(id: id, enabled: true, by: try context.caller))
            },
            APIRoute(.post, "/v1/webhooks/endpoints/{id}/disable", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                return try JSONBody.response(try await store.setWebhookEndpointEnabled(id: id, enabled: false, by: try context.caller))
            },
            APIRoute(.post, "/v1/webhooks/endpoints/{id}/rotate-secret", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                let (endpoint, secret) = try await store.rotateWebhookSecret(
                    id: id, grace: settings.webhookSecretGrace, by: try context.caller)
                return try JSONBody.response(EndpointWithSecret(endpoint: endpoint, secret: secret))
            },
            APIRoute(.post, "/v1/webhooks/endpoints/{id}/test", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                let eventID = try await store.sendWebhookPing(endpointID: id, by: try context.caller)
                return try JSONBody.response(
                    ["event_id": eventID.lowercased, "deliveries": "/v1/webhooks/endpoints/\(id.lowercased)/deliveries?event_type=webhook.ping"],
                    status: .accepted)
            },
            APIRoute(.get, "/v1/webhooks/endpoints/{id}/deliveries", .roles(.adminOnly)) { request, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                let page = try await store.webhookDeliveries(endpointID: id, try Self.deliveryQuery(from: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.post, "/v1/webhooks/endpoints/{id}/recover", .roles(.adminOnly)) { request, context in
                let id = try context.uuidParameter(entity: "webhook endpoint")
                let since = try Self.since(from: request)
                let (endpoint, queued) = try await store.recoverWebhookEndpoint(id: id, since: since, by: try context.caller)
                return try JSONBody.response(RecoverResponse(endpoint: endpoint, queued: queued, since: since), status: .accepted)
            },
            APIRoute(.get, "/v1/webhooks/deliveries/{id}", .roles(.adminOnly)) { _, context in
                try JSONBody.response(try await store.webhookDelivery(id: try context.uuidParameter(entity: "webhook delivery")))
            },
            APIRoute(.post, "/v1/webhooks/deliveries/{id}/redeliver", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "webhook delivery")
                return try JSONBody.response(try await store.redeliverWebhook(deliveryID: id, by: try context.caller), status: .accepted)
            },
        ]
    }

    /// The address check at subscription time, so a private or unresolvable target is refused with a
    /// reason now rather than failing every delivery later. Deliveries check again.
    private func checkReachable(_ url: String?) throws {
        guard let url, WebhookURL.problem(with: url) == nil, let check = settings.webhookTargetCheck else { return }
        if let problem = check(url) { throw ValidationError(field: "url", problem) }
    }

    /// Parsed outside the async handler (see ManagersController).
    static func deliveryQuery(from request: Request) throws -> WebhookDeliveryQuery {
        let query = QueryParameters(request: request)
        return WebhookDeliveryQuery(
            status: try query.oneOf("status", WebhookDeliveryStatus.self), eventType: try query.oneOf("event_type", EventType.self),
            dealerID: try query.uuid("dealer_id"), before: try query.int64("cursor"), limit: try query.limit())
    }

    static func since(from request: Request) throws -> Date {
        guard let text = QueryParameters(request: request).string("since") else {
            throw ValidationError(field: "since", "required: an RFC 3339 instant such as 2026-11-20T00:00:00Z")
        }
        guard let since = Timestamp.parse(text) else {
            throw ValidationError(field: "since", "expected an RFC 3339 instant such as 2026-11-20T00:00:00Z")
        }
        return since
    }
}

struct WebhookEndpointRequest: Decodable {
    var url: String?
    var description: String?
    var eventTypes: [String]?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, description, enabled
        case eventTypes = "event_types"
    }

    var draft: WebhookEndpointDraft {
        WebhookEndpointDraft(url: url, description: description, eventTypes: eventTypes, enabled: enabled)
    }

    func patch() throws -> WebhookEndpointPatch {
        if enabled != nil {
            throw ValidationError(field: "enabled", "use POST …/enable or …/disable: disabling parks pending deliveries")
        }
        return WebhookEndpointPatch(url: url, description: description, eventTypes: eventTypes)
    }
}

/// An endpoint with its secret: the answer of creation and rotation, the only times it is shown.
struct EndpointWithSecret: Encodable {
    var endpoint: WebhookEndpoint
    var secret: WebhookSecret

    enum CodingKeys: String, CodingKey { case secret }

    func encode(to encoder: any Encoder) throws {
        try endpoint.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(secret.text, forKey: .secret)
    }
}

struct RecoverResponse: Encodable {
    var endpoint: WebhookEndpoint
    var queued: Int
    var since: Date
}
