import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Webhook endpoints and deliveries in the store")
struct WebhookStoreTests {
    static let day: TimeInterval = 86400

    @Test(arguments: Backend.available)
    func eachCommittedEventBecomesOneDeliveryPerSubscribedEndpoint(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(code: "EARLY"), by: testActor)
            let (all, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            let (statusOnly, _) = try await store.createWebhookEndpoint(
                .init(url: "https://bot.example.ru/hook", eventTypes: ["dealer.status_changed"]), by: testActor)
            let (parked, _) = try await store.createWebhookEndpoint(.init(url: "https://crm.example.ru/hook", enabled: false), by: testActor)
            let dealer = try await store.createDealer(.sample(code: "D-1"), by: testActor)
            let pingID = try await store.sendWebhookPing(endpointID: all.id, by: testActor)
            #expect(try await store.fanOutEvents(limit: 100) == 3)
            #expect(try await store.fanOutEvents(limit: 100) == 0)

            let toAll = try await store.webhookDeliveries(endpointID: all.id, .init()).items
            #expect(toAll.map(\.eventType) == [.webhookPing, .dealerCreated], "newest first; the dealer created before subscribing is not sent")
            #expect(toAll.first?.eventID == pingID)
            #expect(toAll.last?.dealerID == dealer.id && toAll.last?.dealerSequence == 1)
            #expect(toAll.allSatisfy { $0.status == .pending })
            #expect(try await store.webhookDeliveries(endpointID: statusOnly.id, .init()).items.isEmpty)
            let toParked = try await store.webhookDeliveries(endpointID: parked.id, .init()).items
            #expect(toParked.map(\.status) == [.failed], "kept for a later recover, not sent")
            // The ping is for its endpoint only and never in the feed.
            let feed = try await store.events(after: 0, types: [], dealerID: nil, limit: 10).items
            #expect(!feed.contains { $0.event.type == .webhookPing })
        }
    }

    @Test(arguments: Backend.available)
    func aDealersLaterEventWaitsWhileAnEarlierOneIsRetried(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            let x = try await store.createDealer(.sample(code: "X", taxID: KnownINN.organisations[0]), by: testActor)
            let y = try await store.createDealer(.sample(code: "Y", taxID: KnownINN.organisations[1]), by: testActor)
            var patch = DealerPatch()
            patch.city = .set("Тверь")
            _ = try await store.updateDealer(id: x.id, patch, by: testActor)
            _ = try await store.fanOutEvents(limit: 100)

            let first = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10)
            #expect(Set(first.map(\.event.event.dealerID)) == [x.id, y.id], "X's update waits behind X's creation; Y goes ahead")
            #expect(first.count == 2)
            let xCreated = try #require(first.first { $0.event.event.dealerID == x.id })
            try await store.recordAttempt(
                xCreated, owner: "a", attempt: attempt(xCreated, status: 500), verdict: .retry(retryAfter: nil),
                retryAt: clock.now().addingTimeInterval(5), disableAfter: 5 * Self.day)
            #expect(try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10).isEmpty, "X's update is still held")

            clock.advance(by: 6)
            let retried = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10)
            #expect(retried.map(\.deliveryID) == [xCreated.deliveryID])
            #expect(retried.first?.attemptNumber == 2 && retried.first?.cycleFailures == 1)
            try await store.recordAttempt(
                retried[0], owner: "a", attempt: attempt(retried[0], status: 204), verdict: .delivered, retryAt: nil, disableAfter: 5 * Self.day)
            let next = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10)
            #expect(next.map(\.event.event.type) == [.dealerUpdated])
            #expect(next.first?.event.dealerSequence == 2)

            let log = try await store.webhookDeliveries(endpointID: endpoint.id, .init(dealerID: x.id)).items
            let created = try #require(log.first { $0.eventType == .dealerCreated })
            #expect(created.status == .delivered)
            #expect(created.attempts.map(\.statusCode) == [500, 204])
        }
    }

    @Test(arguments: Backend.available)
    func aDeliveryWhoseReplicaVanishedIsTakenOverAndTheLostAttemptLogged(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            _ = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.fanOutEvents(limit: 100)
            let claimedByA = try await store.claimDueDeliveries(owner: "a", lease: 20, limit: 10)
            #expect(claimedByA.count == 1)
            #expect(try await store.claimDueDeliveries(owner: "b", lease: 20, limit: 10).isEmpty, "in flight at one replica only")

            clock.advance(by: 21)
            let claimedByB = try await store.claimDueDeliveries(owner: "b", lease: 20, limit: 10)
            #expect(claimedByB.map(\.deliveryID) == claimedByA.map(\.deliveryID))
            #expect(claimedByB.first?.event.event.id == claimedByA.first?.event.event.id, "the same webhook-id")
            #expect(claimedByB.first?.attemptNumber == 2)
            // A's late answer is logged but does not decide the delivery B now holds.
            try await store.recordAttempt(
                claimedByA[0], owner: "a", attempt: attempt(claimedByA[0], status: 200), verdict: .delivered, retryAt: nil,
                disableAfter: 5 * Self.day)
            let delivery = try #require(try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.first)
            #expect(delivery.status == .pending)
            #expect(delivery.attempts.count == 2)
            #expect(delivery.attempts.contains { $0.error?.contains("no outcome recorded") == true })
        }
    }

    @Test(arguments: Backend.available)
    func goneDisablesTheEndpointAtOnceAndTellsTheOtherSubscribers(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (gone, _) = try await store.createWebhookEndpoint(.init(url: "https://old.example.ru/hook"), by: testActor)
            let (watcher, _) = try await store.createWebhookEndpoint(
                .init(url: "https://ops.example.ru/hook", eventTypes: ["webhook.endpoint_disabled"]), by: testActor)
            _ = try await store.createDealer(.sample(code: "A", taxID: KnownINN.organisations[0]), by: testActor)
            _ = try await store.createDealer(.sample(code: "B", taxID: KnownINN.organisations[1]), by: testActor)
            _ = try await store.fanOutEvents(limit: 100)
            let claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            try await store.recordAttempt(
                claimed[0], owner: "a", attempt: attempt(claimed[0], status: 410), verdict: .gone, retryAt: nil, disableAfter: 5 * Self.day)

            let endpoint = try await store.webhookEndpoint(id: gone.id)
            #expect(!endpoint.enabled)
            #expect(endpoint.disabledReason?.contains("410") == true)
            let statuses = try await store.webhookDeliveries(endpointID: gone.id, .init()).items.map(\.status)
            #expect(statuses == [.failed, .failed], "the answered one and the parked one")
            _ = try await store.fanOutEvents(limit: 100)
            let notice = try await store.webhookDeliveries(endpointID: watcher.id, .init()).items
            #expect(notice.map(\.eventType) == [.webhookEndpointDisabled])
            #expect(try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10).map(\.endpointID) == [watcher.id])
        }
    }

    @Test(arguments: Backend.available)
    func anEndpointFailingForDaysIsDisabledButASuccessResetsTheStreak(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            func failOne() async throws {
                _ = try await store.createManager(.init(name: "M \(UUID())", email: "\(UUID())@example.ru", role: .call), by: testActor)
                _ = try await store.fanOutEvents(limit: 100)
                let claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
                try await store.recordAttempt(
                    claimed[0], owner: "a", attempt: attempt(claimed[0], status: 503), verdict: .retry(retryAfter: nil),
                    retryAt: nil, disableAfter: 5 * Self.day)
            }
            try await failOne()
            #expect(try await store.webhookEndpoint(id: endpoint.id).failingSince == clock.now())
            clock.advance(by: 4 * Self.day)
            try await failOne()
            #expect(try await store.webhookEndpoint(id: endpoint.id).enabled)
            clock.advance(by: 1 * Self.day + 1)
            try await failOne()
            let disabled = try await store.webhookEndpoint(id: endpoint.id)
            #expect(!disabled.enabled)
            #expect(disabled.disabledReason?.contains("over 5 days") == true)
            let feed = try await store.events(after: 0, types: [.webhookEndpointDisabled], dealerID: nil, limit: 10).items
            #expect(feed.count == 1)
            guard case .object(let data) = feed.first?.event.data else {
                Issue.record("webhook.endpoint_disabled carries an object")
                return
            }
            #expect(data["endpoint_id"] == JSONValue.string(endpoint.id.lowercased))
        }
    }

    @Test(arguments: Backend.available)
    func recoverEnablesTheEndpointAndResendsWhatFailedSinceInOrder(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            _ = try await store.setWebhookEndpointEnabled(id: endpoint.id, enabled: false, by: testActor)
            let outageStart = clock.now()
            for index in 0..<3 {
                clock.advance(by: 60)
                _ = try await store.createDealer(
                    .sample(code: "D-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
            }
            _ = try await store.fanOutEvents(limit: 100)
            #expect(try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10).isEmpty)
            #expect(try await store.webhookDeliveries(endpointID: endpoint.id, .init(status: .failed)).items.count == 3)

            let (recovered, queued) = try await store.recoverWebhookEndpoint(
                id: endpoint.id, since: outageStart.addingTimeInterval(90), by: testActor)
            #expect(recovered.enabled)
            #expect(queued == 2, "only deliveries created since the given time")
            let claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 10)
            #expect(claimed.count == 2)
            #expect(claimed.map(\.event.sequence) == claimed.map(\.event.sequence).sorted())
            #expect(claimed.allSatisfy { $0.cycleFailures == 0 })
        }
    }

    @Test(arguments: Backend.available)
    func redeliverSendsAgainWithTheSameIDAndAFreshSchedule(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            _ = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.fanOutEvents(limit: 100)
            var claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            for _ in 0..<2 {
                try await store.recordAttempt(
                    claimed[0], owner: "a", attempt: attempt(claimed[0], status: 500), verdict: .retry(retryAfter: nil),
                    retryAt: claimed[0].cycleFailures == 0 ? clock.now() : nil, disableAfter: 5 * Self.day)
                claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
                if claimed.isEmpty { break }
            }
            let exhausted = try #require(try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.first)
            #expect(exhausted.status == .exhausted)
            await #expect(throws: DomainError.self) {
                _ = try await store.redeliverWebhook(deliveryID: UUID(), by: testActor)
            }
            let again = try await store.redeliverWebhook(deliveryID: exhausted.id, by: testActor)
            #expect(again.status == .pending)
            let reclaimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            #expect(reclaimed.first?.event.event.id == exhausted.eventID)
            #expect(reclaimed.first?.cycleFailures == 0)
            #expect(reclaimed.first?.attemptNumber == 3)
            await #expect(throws: DomainError.self, "already pending") {
                _ = try await store.redeliverWebhook(deliveryID: exhausted.id, by: testActor)
            }
        }
    }

    @Test(arguments: Backend.available)
    func aRotatedSecretSignsBesideTheNewOneUntilItsGraceEnds(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, original) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            let (rotated, fresh) = try await store.rotateWebhookSecret(id: endpoint.id, grace: 3600, by: testActor)
            #expect(fresh != original)
            #expect(rotated.previousSecretExpiresAt == clock.now().addingTimeInterval(3600))
            _ = try await store.sendWebhookPing(endpointID: endpoint.id, by: testActor)
            _ = try await store.fanOutEvents(limit: 10)
            let during = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            #expect(during.first?.secrets == [fresh, original])
            try await store.releaseDeliveries(during.map(\.deliveryID), owner: "a")
            clock.advance(by: 3601)
            let after = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            #expect(after.first?.secrets == [fresh])
            #expect(after.first?.attemptNumber == 1, "a released claim does not count as an attempt")
        }
    }

    private func attempt(_ dispatch: WebhookDispatch, status: Int?) -> WebhookAttempt {
        WebhookAttempt(
            number: dispatch.attemptNumber, startedAt: Date(), durationMilliseconds: 3, statusCode: status,
            error: status.map { (200..<300).contains($0) ? nil : "HTTP \($0)" } ?? "connection refused", response: nil)
    }
}

extension WebhookStoreTests {
    @Test(arguments: Backend.available)
    func housekeepingKeepsAnEventWhileADeliveryOfItIsKept(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            _ = try await store.createDealer(.sample(code: "OLD"), by: testActor)
            _ = try await store.fanOutEvents(limit: 10)
            let pending = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            try await store.releaseDeliveries(pending.map(\.deliveryID), owner: "a")
            clock.advance(by: 100 * Self.day)

            // A pending delivery keeps its event however old it is.
            #expect(try await store.pruneWebhookDeliveries(before: clock.now().addingTimeInterval(-30 * Self.day)) == 0)
            #expect(try await store.prune(runsBefore: clock.now(), eventsBefore: clock.now().addingTimeInterval(-90 * Self.day)).events == 0)

            let claimed = try await store.claimDueDeliveries(owner: "a", lease: 30, limit: 1)
            try await store.recordAttempt(
                claimed[0], owner: "a",
                attempt: WebhookAttempt(number: 1, startedAt: clock.now(), durationMilliseconds: 1, statusCode: 200, error: nil, response: nil),
                verdict: .delivered, retryAt: nil, disableAfter: 5 * Self.day)
            clock.advance(by: 31 * Self.day)
            #expect(try await store.pruneWebhookDeliveries(before: clock.now().addingTimeInterval(-30 * Self.day)) == 1)
            #expect(try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.isEmpty)
            #expect(try await store.prune(runsBefore: clock.now(), eventsBefore: clock.now().addingTimeInterval(-90 * Self.day)).events == 1)
        }
    }
}
