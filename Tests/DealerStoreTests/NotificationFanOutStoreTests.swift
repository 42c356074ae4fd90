import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// Fan-out passes over events that are no news any more: notifications switched on a day after the
/// events do not announce them, and what happens from then on is announced.
@Suite("Fan-out of old events")
struct NotificationFanOutStoreTests {
    static func routing(maxAge: TimeInterval?) -> NotificationRouting {
        NotificationRouting(
            rules: [NotificationRule(name: "new-dealers", events: [.dealerCreated], audiences: [.email("ops@example.ru")], channels: [.email])],
            channels: [.email], quietHours: nil, operators: [], timeZone: CivilDate.defaultCompanyTimeZone, currency: .rub, maxEventAge: maxAge,
            render: { _, _, facts in RenderedMessage(subject: facts.title, text: facts.values["dealer_code"] ?? "", html: nil) })
    }

    @Test(arguments: Backend.available)
    func eventsOlderThanTheAgeReachNobodyAndNewOnesDo(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let outbox = NotificationStore(store)
            _ = try await store.createDealer(.sample(code: "OLD-1", taxID: KnownINN.organisations[0]), by: testActor)
            clock.advance(by: 25 * 3600)
            _ = try await store.createDealer(.sample(code: "NEW-2", taxID: KnownINN.organisations[1]), by: testActor)
            let consumed = try await outbox.fanOut(limit: 100, routing: Self.routing(maxAge: 86400))
            #expect(consumed >= 2, "both events are consumed, the old one without a message")
            let messages = try await outbox.messages(NotificationQuery(page: PageRequest(limit: 50))).items
            #expect(messages.map(\.text) == ["NEW-2"], "\(messages.map(\.text))")
        }
    }

    @Test(arguments: Backend.available)
    func withoutAnAgeEveryEventIsAnnounced(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let outbox = NotificationStore(store)
            _ = try await store.createDealer(.sample(code: "OLD-1", taxID: KnownINN.organisations[0]), by: testActor)
            clock.advance(by: 30 * 86400)
            _ = try await outbox.fanOut(limit: 100, routing: Self.routing(maxAge: nil))
            let messages = try await outbox.messages(NotificationQuery(page: PageRequest(limit: 50))).items
            #expect(messages.map(\.text) == ["OLD-1"])
        }
    }
}
