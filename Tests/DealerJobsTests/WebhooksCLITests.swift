import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd webhooks …` as an operator runs it, on a database a running dealerd would use.
@Suite("The webhooks commands")
struct WebhooksCLITests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func dealerd(_ arguments: [String], database: TestDatabase, environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ReplicaProcess.binary())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if case .sqliteFile(let path) = database.url { environment["DEALERD_DATABASE_URL"] = "sqlite://" + path }
        if case .postgres(let url) = database.url { environment["DEALERD_DATABASE_URL"] = url }
        environment.merge(extra) { _, mine in mine }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    @Test(arguments: Backend.available)
    func anOperatorListsReadsTheLogRecoversAndRedelivers(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let (endpoint, delivery) = try await database.withStore { (store: Store) async throws in
            let (endpoint, _) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook", description: "1С"), by: testActor)
            _ = try await store.setWebhookEndpointEnabled(id: endpoint.id, enabled: false, by: testActor)
            _ = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.fanOutEvents(limit: 10)
            let delivery = try #require(try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.first)
            return (endpoint, delivery)
        }
        let list = try Self.dealerd(["webhooks", "list"], database: database)
        #expect(list.status == 0)
        #expect(list.output.contains(endpoint.id.lowercased) && list.output.contains("disabled (disabled by test-admin)"))
        #expect(list.output.contains("https://erp.example.ru/hook") && list.output.contains("1С"))

        let log = try Self.dealerd(["webhooks", "deliveries", endpoint.id.lowercased, "--status", "failed"], database: database)
        #expect(log.status == 0)
        #expect(log.output.contains(delivery.id.lowercased) && log.output.contains("dealer.created"))

        let recovered = try Self.dealerd(
            ["webhooks", "recover", endpoint.id.lowercased, "--since", "2020-01-01T00:00:00+03:00"], database: database)
        #expect(recovered.status == 0)
        #expect(recovered.output.contains("enabled; 1 deliveries queued"))
        let pendingAlready = try Self.dealerd(["webhooks", "redeliver", delivery.id.lowercased], database: database)
        #expect(pendingAlready.status == 65)
        #expect(pendingAlready.errors.contains("pending already"))

        let badID = try Self.dealerd(["webhooks", "deliveries", "endpoint-7"], database: database)
        #expect(badID.status == 64)
        #expect(badID.errors.contains("expected an id"))
        let badStatus = try Self.dealerd(["webhooks", "deliveries", endpoint.id.lowercased, "--status", "lost"], database: database)
        #expect(badStatus.status == 64)
        let unknown = try Self.dealerd(["webhooks", "recover", UUID().lowercased, "--since", "2026-01-01T00:00:00Z"], database: database)
        #expect(unknown.status == 65)
        #expect(unknown.errors.contains("no webhook endpoint"))
    }
}
