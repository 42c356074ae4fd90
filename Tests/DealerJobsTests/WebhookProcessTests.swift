import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The dispatcher in real dealerd processes: killed with SIGKILL, and two replicas sharing the work.
extension ProcessTests {
    @Suite("Webhook dispatch by real processes")
    struct WebhookProcessTests {
        static let environment = [
            "DEALERD_WEBHOOKS_ALLOWED_HOSTS": "127.0.0.1",
            "DEALERD_WEBHOOKS_TIMEOUT_MS": "1000",
            "DEALERD_WEBHOOKS_RETRY_SCHEDULE": "0s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s",
            "DEALERD_WEBHOOKS_POLL_INTERVAL_MS": "200",
            "DEALERD_JOBS_PROBE_ENABLED": "false",
        ]

        @Test(arguments: Backend.available)
        func sigkillBetweenCommitAndDeliveryAndMidDeliveryLosesNoEvent(_ backend: Backend) async throws {
            let database = try await TestDatabase.create(backend)
            defer { database.remove() }
            let binary = try ReplicaProcess.binary()
            try await database.withStore { (store: Store) async throws in
                let dealers = try await (0..<3).asyncMap { index in
                    try await store.createDealer(.sample(code: "K-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                }
                @Sendable func touchEveryDealer(_ round: Int) async throws {
                    for dealer in dealers {
                        var patch = DealerPatch()
                        patch.city = .set("Город \(round)")
                        _ = try await store.updateDealer(id: dealer.id, patch, by: testActor)
                    }
                }
                // Each answer takes 300 ms, so a kill finds attempts in flight.
                try await withReceiver(reply: { _, _ in Reply(delay: .milliseconds(300)) }) { receiver in
                    let (endpoint, _) = try await store.createWebhookEndpoint(
                        .init(url: receiver.url, eventTypes: ["dealer.updated"]), by: testActor)
                    let group = ReplicaGroup(
                        binary: binary, url: database.url, heartbeatMs: 500, pollMs: 200, environment: Self.environment)
                    defer { group.stopAll(signal: SIGKILL) }
                    try group.launch(0)
                    for round in 0..<8 { try await touchEveryDealer(round) }
                    try await eventually("deliveries under way") { receiver.requests.count >= 4 }
                    group.stop(0, signal: SIGKILL)
                    let seenAtKill = receiver.requests.count
                    // Committed while no dealerd runs: delivered after the restart.
                    for round in 8..<10 { try await touchEveryDealer(round) }
                    try group.launch(0)
                    try await eventually(timeout: .seconds(60), "every delivery delivered after the restart") {
                        let items = try await store.webhookDeliveries(endpointID: endpoint.id, .init(limit: 100)).items
                        return items.count == 30 && items.allSatisfy { $0.status == .delivered }
                    }

                    let deliveries = try await store.webhookDeliveries(endpointID: endpoint.id, .init(limit: 100)).items
                    for delivery in deliveries {
                        let arrivals = receiver.arrivals(of: delivery.eventID.lowercased)
                        #expect(arrivals >= 1, "every event reached the receiver")
                        if arrivals > 1 {
                            #expect(
                                delivery.attempts.contains { $0.error?.contains("no outcome recorded") == true },
                                "a duplicate only where an attempt's outcome was unknown: \(delivery.attempts)")
                        }
                    }
                    for dealer in dealers {
                        let sequence = receiver.requests.filter { $0.dealerID == dealer.id.lowercased }.compactMap(\.dealerSequence)
                        #expect(sequence == sequence.sorted(), "a dealer's events in order, a resent one before the next")
                        #expect(Set(sequence) == Set(2...11))
                    }
                    let duplicates = receiver.requests.count - 30
                    print(
                        "webhook SIGKILL test (\(backend)): \(seenAtKill) requests before the kill, 30 events delivered, \(duplicates) resent after an unknown outcome"
                    )
                }
            }
        }

        @Test func twoReplicasOnPostgreSQLDeliverTenThousandEventsNoneAtTwoReplicasAtOnce() async throws {
            try #require(Backend.postgresURL != nil, "run with scripts/test: PostgreSQL is needed")
            let database = try await TestDatabase.create(.postgres)
            let binary = try ReplicaProcess.binary()
            let total = 10_000
            let dealerCount = 500
            try await database.withStore { (store: Store) async throws in
                try await withReceiver { receiver in
                    let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: receiver.url), by: testActor)
                    // A generous timeout: a timed-out attempt may have reached the receiver (an unknown outcome).
                    let group = ReplicaGroup(
                        binary: binary, url: database.url, heartbeatMs: 500, pollMs: 200,
                        environment: Self.environment.merging(["DEALERD_WEBHOOKS_TIMEOUT_MS": "10000"]) { $1 })
                    defer { group.stopAll(signal: SIGKILL) }
                    try group.launch(0)
                    try group.launch(1)
                    let started = Date()
                    try await EventFixtures.append(total, dealers: dealerCount, to: store)
                    try await eventually(timeout: .seconds(240), "\(total) events received") {
                        Set(receiver.requests.map(\.id)).count == total
                    }
                    let elapsed = Date().timeIntervalSince(started)
                    try await Task.sleep(for: .milliseconds(500))
                    let requests = receiver.requests
                    #expect(receiver.overlaps == 0, "none in flight at two replicas at once")
                    let arrivals = Dictionary(requests.map { ($0.id, 1) }, uniquingKeysWith: +)
                    let repeated = Set(arrivals.filter { $0.value > 1 }.keys)
                    let unknownOutcomes = try await EventFixtures.eventsWithAnUnknownOutcome(endpoint: endpoint.id, store: store)
                    #expect(repeated.isSubset(of: unknownOutcomes), "sent twice only after an attempt without an answer")
                    var byDealer: [String: [Int]] = [:]
                    for request in requests { byDealer[request.dealerID ?? "", default: []].append(request.dealerSequence ?? 0) }
                    #expect(byDealer.count == dealerCount)
                    #expect(byDealer.values.allSatisfy { $0 == $0.sorted() }, "each dealer's events in order")
                    let replicas = try await EventFixtures.attemptsByReplica(endpoint: endpoint.id, store: store)
                    #expect(replicas.count == 2, "both replicas delivered: \(replicas)")
                    print(
                        "two replicas on PostgreSQL: \(total) events delivered in \(String(format: "%.1f", elapsed)) s "
                            + "(\(Int(Double(total) / elapsed))/s incl. writing them), attempts per replica: \(replicas.values.sorted()), "
                            + "repeats after an unknown outcome: \(repeated.count)")
                }
            }
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
