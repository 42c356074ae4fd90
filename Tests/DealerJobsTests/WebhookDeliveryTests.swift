import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// The dispatcher against real receivers on loopback, on both databases.
@Suite("Webhook delivery")
struct WebhookDeliveryTests {
    static func settings(
        // A generous timeout: a busy CI machine once took over 2 s to answer a 302 on loopback.
        retry: [TimeInterval] = [0, 0.2, 0.2, 0.2, 0.2], timeout: TimeInterval = 15, owner: String = "test-replica"
    ) -> WebhookSettings {
        WebhookSettings(
            timeout: timeout, retry: WebhookRetrySchedule(delays: retry, jitter: 0),
            urlPolicy: WebhookURLPolicy(allowedHosts: ["127.0.0.1"]), concurrency: 16, pollInterval: 0.2,
            owner: owner, userAgent: "dealerd/test")
    }

    /// Runs a dispatcher beside `body`, as the service group would.
    static func withDispatcher<T: Sendable>(
        _ store: Store, _ settings: WebhookSettings = settings(), _ body: @Sendable @escaping () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await WebhookDispatcher(store: store, settings: settings, logger: testLogger).run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    static func delivery(_ store: Store, endpoint: UUID, type: EventType) async throws -> WebhookDelivery? {
        try await store.webhookDeliveries(endpointID: endpoint, .init(eventType: type)).items.first
    }

    @Test(arguments: Backend.available)
    func aFailingReceiverIsRetriedWithTheSameIDUntilItAnswers(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await withReceiver(reply: { _, nth in
                switch nth {
                case 1: Reply(status: .found, headers: [("location", "http://127.0.0.1:1/elsewhere")])
                case 2: Reply(status: .internalServerError, body: "database is down")
                default: Reply(status: .noContent)
                }
            }) { receiver in
                let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: receiver.url), by: testActor)
                try await Self.withDispatcher(store) {
                    let dealer = try await store.createDealer(.sample(), by: testActor)
                    try await eventually("delivered") {
                        try await Self.delivery(store, endpoint: endpoint.id, type: .dealerCreated)?.status == .delivered
                    }
                    let requests = receiver.requests
                    #expect(requests.count == 3)
                    #expect(Set(requests.map(\.id)).count == 1, "the same webhook-id on every attempt")
                    let first = try #require(requests.first)
                    #expect(first.type == "dealer.created")
                    #expect(first.dealerID == dealer.id.lowercased && first.dealerSequence == 1)
                    #expect(first.contentType == "application/json" && first.userAgent == "dealerd/test")
                    #expect(first.signature.hasPrefix("v1,"))
                    #expect(abs((Double(first.timestamp) ?? 0) - first.arrivedAt.timeIntervalSince1970) < 5)

                    let delivery = try #require(try await Self.delivery(store, endpoint: endpoint.id, type: .dealerCreated))
                    #expect(delivery.attempts.map(\.statusCode) == [302, 500, 204])
                    #expect(delivery.attempts[0].error?.contains("redirects are not followed") == true)
                    #expect(delivery.attempts[1].response == "database is down")
                    #expect(delivery.eventID.lowercased == first.id)
                    #expect(try await store.webhookEndpoint(id: endpoint.id).failingSince == nil, "a success ends the failure streak")
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func aReceiverThatNeverAnswersTimesOutAndTheDeliveryIsExhausted(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            // The receiver would answer after 30 s; an attempt far shorter than that was cut off by the
            // 0.5 s timeout. The upper bound is loose because shared CI machines stall for seconds.
            try await withReceiver(reply: { _, _ in Reply(delay: .seconds(30)) }) { receiver in
                let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: receiver.url), by: testActor)
                try await Self.withDispatcher(store, Self.settings(retry: [0, 0.1], timeout: 0.5)) {
                    _ = try await store.createDealer(.sample(), by: testActor)
                    try await eventually("exhausted") {
                        try await Self.delivery(store, endpoint: endpoint.id, type: .dealerCreated)?.status == .exhausted
                    }
                    let delivery = try #require(try await Self.delivery(store, endpoint: endpoint.id, type: .dealerCreated))
                    #expect(delivery.attempts.count == 2)
                    #expect(delivery.attempts.allSatisfy { $0.statusCode == nil && $0.error?.contains("timed out") == true })
                    #expect(
                        delivery.attempts.allSatisfy { $0.durationMilliseconds >= 450 && $0.durationMilliseconds < 15000 }, "\(delivery.attempts)")
                    #expect(delivery.nextAttemptAt == nil)
                    #expect(try await store.webhookEndpoint(id: endpoint.id).failingSince != nil)
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func aReceiverAnsweringGoneIsDisabledAndTheOthersAreTold(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await withReceiver(reply: { request, _ in request.type == "dealer.created" ? Reply(status: .gone) : Reply() }) { receiver in
                let (gone, _) = try await store.createWebhookEndpoint(
                    .init(url: receiver.url, eventTypes: ["dealer.created"]), by: testActor)
                let (ops, _) = try await store.createWebhookEndpoint(
                    .init(url: receiver.url, eventTypes: ["webhook.endpoint_disabled"]), by: testActor)
                try await Self.withDispatcher(store) {
                    _ = try await store.createDealer(.sample(), by: testActor)
                    try await eventually("the others told") {
                        try await Self.delivery(store, endpoint: ops.id, type: .webhookEndpointDisabled)?.status == .delivered
                    }
                    let disabled = try await store.webhookEndpoint(id: gone.id)
                    #expect(!disabled.enabled)
                    #expect(disabled.disabledReason == "the receiver answered 410 Gone")
                    #expect(receiver.requests.filter { $0.type == "dealer.created" }.count == 1, "410 is not retried")
                    let notice = try #require(receiver.requests.first { $0.type == "webhook.endpoint_disabled" })
                    guard case .object(let data) = notice.json["data"] else { throw TestSetupError(description: "no data") }
                    #expect(data["endpoint_id"] == .string(gone.id.lowercased))
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func aReceiverThatIsDownAndComesBackGetsEveryEvent(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let port = try freePort()
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "http://127.0.0.1:\(port)/hook"), by: testActor)
            try await Self.withDispatcher(store, Self.settings(retry: [0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3])) {
                for index in 0..<3 {
                    _ = try await store.createDealer(.sample(code: "D-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                }
                try await eventually("three refused attempts") {
                    try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.allSatisfy {
                        $0.attempts.first?.error == "connection refused"
                    }
                }
                try await withReceiver(port: port) { receiver in
                    try await eventually("delivered after the receiver came back") {
                        try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.allSatisfy { $0.status == .delivered }
                    }
                    #expect(Set(receiver.requests.map(\.dealerID)).count == 3)
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func aDealersEventsArriveInOrderWhileItsFirstIsRetriedAndOtherDealersGoAhead(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let slow = try await store.createDealer(.sample(code: "SLOW", taxID: KnownINN.organisations[0]), by: testActor)
            let fast = try await store.createDealer(.sample(code: "FAST", taxID: KnownINN.organisations[1]), by: testActor)
            try await withReceiver(reply: { request, nth in
                // The slow dealer's first event fails three times.
                request.dealerID == slow.id.lowercased && request.dealerSequence == 2 && nth <= 3 ? Reply(status: .badGateway) : Reply()
            }) { receiver in
                let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: receiver.url), by: testActor)
                try await Self.withDispatcher(store) {
                    for round in 0..<3 {
                        for dealer in [slow, fast] {
                            var patch = DealerPatch()
                            patch.city = .set("Город \(round)")
                            _ = try await store.updateDealer(id: dealer.id, patch, by: testActor)
                        }
                    }
                    try await eventually("all delivered") {
                        let items = try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items
                        return items.count == 6 && items.allSatisfy { $0.status == .delivered }
                    }
                    let slowArrivals = receiver.requests.filter { $0.dealerID == slow.id.lowercased }
                    #expect(slowArrivals.compactMap(\.dealerSequence) == [2, 2, 2, 2, 3, 4], "nothing overtakes the retried event")
                    let fastArrivals = receiver.requests.filter { $0.dealerID == fast.id.lowercased }
                    #expect(fastArrivals.compactMap(\.dealerSequence) == [2, 3, 4])
                    let fastDone = try #require(fastArrivals.last?.arrivedAt)
                    let slowDone = try #require(slowArrivals.last?.arrivedAt)
                    #expect(fastDone < slowDone, "the other dealer is not held up")
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func retryAfterIsHonouredWhenItAsksForMoreThanTheSchedule(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await withReceiver(reply: { _, nth in nth == 1 ? Reply(status: .tooManyRequests, headers: [("retry-after", "2")]) : Reply() }) {
                receiver in
                let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: receiver.url), by: testActor)
                try await Self.withDispatcher(store, Self.settings(retry: [0, 0.1, 0.1])) {
                    _ = try await store.createDealer(.sample(), by: testActor)
                    try await eventually("delivered") {
                        try await Self.delivery(store, endpoint: endpoint.id, type: .dealerCreated)?.status == .delivered
                    }
                    let arrivals = receiver.requests.map(\.arrivedAt)
                    #expect(arrivals.count == 2)
                    #expect(arrivals[1].timeIntervalSince(arrivals[0]) >= 1.9, "waited as asked, not the schedule's 0.1 s")
                }
            }
        }
    }
}
