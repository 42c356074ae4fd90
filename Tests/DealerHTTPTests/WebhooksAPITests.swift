import DealerCore
import DealerJobs
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Webhooks through the API")
struct WebhooksAPITests {
    static func configure(_ config: inout DealerdConfig) {
        config.webhooks.urlPolicy = WebhookURLPolicy(allowedHosts: ["127.0.0.1"])
        config.webhooks.pollInterval = 0.2
        config.webhooks.retry = WebhookRetrySchedule(delays: [0, 0.2, 0.2], jitter: 0)
    }

    @Test(arguments: Backend.available)
    func anAdminSubscribesTestsWatchesTheLogAndRecoversAfterAnOutage(_ backend: Backend) async throws {
        try await withReceiver { receiver in
            try await APIHarness.run(backend, configure: Self.configure) { api in
                let created = try await api.call(
                    .post, "/v1/webhooks/endpoints",
                    json: #"{"url": "\#(receiver.url)", "description": "ERP", "event_types": ["dealer.created", "dealer.status_changed"]}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"]?.stringValue)
                #expect(created.headers[.location] == "/v1/webhooks/endpoints/\(id)")
                let secret = try WebhookSecret(try #require(created.json["secret"]?.stringValue))
                #expect(created.json["event_types"] == .array([.string("dealer.created"), .string("dealer.status_changed")]))
                let shown = try await api.call(.get, "/v1/webhooks/endpoints/\(id)")
                #expect(shown.json["secret"] == nil, "the secret is shown once")
                #expect(shown.json["enabled"] == .bool(true))

                // A test ping arrives signed with the secret.
                let ping = try await api.call(.post, "/v1/webhooks/endpoints/\(id)/test")
                #expect(ping.status == .accepted)
                try await eventually("the ping arrives") { receiver.requests.contains { $0.type == "webhook.ping" } }
                let received = try #require(receiver.requests.first { $0.type == "webhook.ping" })
                #expect(received.id == ping.json["event_id"]?.stringValue)
                try WebhookSignature.verify(
                    id: received.id, timestamp: received.timestamp, signatures: received.signature, body: received.body, secret: secret)

                // A dealer created through the API is delivered and logged.
                let dealer = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "WH-1", name: "Вебхук"))
                let dealerID = try #require(dealer.json["id"]?.stringValue)
                try await eventually("the dealer.created delivery") {
                    try await api.call(.get, "/v1/webhooks/endpoints/\(id)/deliveries?event_type=dealer.created").json["items"]?
                        .array.first?["status"] == .string("delivered")
                }
                let log = try await api.call(.get, "/v1/webhooks/endpoints/\(id)/deliveries?dealer_id=\(dealerID)")
                let delivery = try #require(log.json["items"]?.array.first)
                #expect(delivery["dealer_seq"] == .number(1))
                #expect(delivery["attempts"]?.array.first?["status_code"] == .number(200))
                #expect(delivery["attempts"]?.array.first?["response"] == .string("ok"))
                let deliveryID = try #require(delivery["id"]?.stringValue)

                // Disabled: events are kept, not sent; recover sends them and re-enables.
                let outageStart = Timestamp.format(Date().addingTimeInterval(-1))
                let disabled = try await api.call(.post, "/v1/webhooks/endpoints/\(id)/disable")
                #expect(disabled.json["enabled"] == .bool(false))
                _ = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "WH-2", name: "Пропущенный"))
                try await eventually("the missed event is parked") {
                    try await api.call(.get, "/v1/webhooks/endpoints/\(id)/deliveries?status=failed").json["items"]?.array.count == 1
                }
                #expect(try await api.call(.post, "/v1/webhooks/deliveries/\(deliveryID)/redeliver").status == .conflict)
                #expect(try await api.call(.post, "/v1/webhooks/endpoints/\(id)/recover").status == .unprocessableContent)
                let recovered = try await api.call(.post, "/v1/webhooks/endpoints/\(id)/recover?since=\(outageStart)")
                #expect(recovered.status == .accepted)
                #expect(recovered.json["queued"] == .number(1))
                #expect(recovered.json["endpoint"]?["enabled"] == .bool(true))
                try await eventually("the missed event arrives") {
                    receiver.requests.filter { $0.type == "dealer.created" }.count == 2
                }

                // Redelivery sends the same webhook-id again.
                let again = try await api.call(.post, "/v1/webhooks/deliveries/\(deliveryID)/redeliver")
                #expect(again.status == .accepted)
                let eventID = try #require(delivery["event_id"]?.stringValue)
                try await eventually("redelivered") { receiver.arrivals(of: eventID) == 2 }

                // Rotation shows the new secret once; updates and deletion are audited.
                let rotated = try await api.call(.post, "/v1/webhooks/endpoints/\(id)/rotate-secret")
                #expect(rotated.json["secret"]?.stringValue?.hasPrefix("whsec_") == true)
                #expect(rotated.json["secret"]?.stringValue != secret.text)
                #expect(rotated.json["previous_secret_expires_at"] != .null)
                let patched = try await api.call(.patch, "/v1/webhooks/endpoints/\(id)", json: #"{"event_types": ["*"]}"#)
                #expect(patched.json["event_types"] == .array([.string("*")]))
                #expect(try await api.call(.patch, "/v1/webhooks/endpoints/\(id)", json: #"{"enabled": false}"#).status == .unprocessableContent)
                #expect(try await api.call(.delete, "/v1/webhooks/endpoints/\(id)").status == .noContent)
                #expect(try await api.call(.get, "/v1/webhooks/endpoints/\(id)").status == .notFound)
                let audit = try await api.call(.get, "/v1/audit?entity_type=webhook_endpoint&entity_id=\(id)")
                let actions = audit.json["items"]?.array.compactMap { $0["action"]?.stringValue } ?? []
                #expect(
                    actions == [
                        "webhook_endpoint.delete", "webhook_endpoint.update", "webhook_endpoint.rotate_secret", "webhook_endpoint.recover",
                        "webhook_endpoint.disable", "webhook_endpoint.create",
                    ])
                #expect(!audit.text.contains(secret.text), "secrets never reach the audit log")
            }
        }
    }

    @Test(arguments: Backend.available)
    func badSubscriptionsAreRefusedWithTheFieldAtFault(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let bad = try await api.call(
                .post, "/v1/webhooks/endpoints", json: #"{"url": "ftp://erp.example.ru/x", "event_types": ["dealer.created", "dealer.exploded"]}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = Set(bad.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue } ?? [])
            #expect(fields == ["url", "event_types[1]"])
            let metadata = try await api.call(.post, "/v1/webhooks/endpoints", json: #"{"url": "http://169.254.169.254/latest/meta-data"}"#)
            #expect(metadata.status == .unprocessableContent)
            #expect(metadata.json["invalid_params"]?.array.first?["reason"]?.stringValue?.contains("link-local") == true)
            let loopback = try await api.call(.post, "/v1/webhooks/endpoints", json: #"{"url": "http://127.0.0.1:9/hook"}"#)
            #expect(loopback.status == .unprocessableContent, "loopback is refused unless allowed in config")
            let credentials = try await api.call(.post, "/v1/webhooks/endpoints", json: #"{"url": "https://user:pw@erp.example.ru/hook"}"#)
            #expect(credentials.json["invalid_params"]?.array.first?["name"] == .string("url"))
            #expect(try await api.call(.post, "/v1/webhooks/endpoints", as: .manager, json: "{}").status == .forbidden)
            #expect(try await api.call(.get, "/v1/webhooks/endpoints/\(UUID().lowercased)/deliveries").status == .notFound)
            #expect(try await api.call(.get, "/v1/webhooks/deliveries/not-a-uuid").status == .notFound)
            let types = try await api.call(.get, "/v1/webhooks/event-types")
            #expect(types.json["items"]?.array.contains(.string("credit.limit_breached")) == true)
        }
    }
}
