import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Webhook endpoints for admins: each endpoint with its state and latest deliveries, and a failed
/// delivery sent again, through the same store calls as `/v1/webhooks`.
extension ConsoleController {
    func webhooksPage(_ session: ConsoleSession, request: Request) async throws -> Response {
        let endpoints = try await store.webhookEndpoints()
        let zone = store.calendar.timeZone
        var rows: [[String: Any]] = []
        for endpoint in endpoints {
            let deliveries = try await store.webhookDeliveries(endpointID: endpoint.id, WebhookDeliveryQuery(limit: 10)).items
            rows.append([
                "id": endpoint.id.lowercased, "url": endpoint.url, "description": endpoint.description,
                "state": endpoint.enabled ? "включён" : "отключён" + (endpoint.disabledReason.map { ": \($0)" } ?? ""),
                "disabled": !endpoint.enabled,
                "deliveries": deliveries.map { delivery in
                    [
                        "id": delivery.id.lowercased, "when": RussianText.instant(delivery.createdAt, in: zone),
                        "type": delivery.eventType.rawValue, "status": ConsoleText.deliveryStatus(delivery.status),
                        "attempts": delivery.attemptCount, "code": delivery.lastStatusCode.map(String.init) ?? "—",
                        "error": delivery.lastError ?? "", "exhausted": delivery.status == .exhausted,
                    ] as [String: Any]
                },
                "any_deliveries": !deliveries.isEmpty,
            ])
        }
        let view: [String: Any] = [
            "endpoints": rows, "any_endpoints": !rows.isEmpty,
            "flash": request.uri.queryParameters.get("redelivered") != nil ? "Доставка поставлена в очередь ещё раз." : "",
        ]
        return pages.page("webhooks", title: "Вебхуки", view: view, session: session)
    }

    func redeliverWebhook(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { return notFound(session) }
        _ = try await store.redeliverWebhook(deliveryID: id, by: session.user.caller)
        return ConsolePages.redirect(to: "/admin/webhooks?redelivered=1")
    }
}
