import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd secrets …` as an operator runs it: make a key, see what is plain, seal it, change keys.
@Suite("The secrets commands")
struct SecretsCLITests {
    static func dealerd(_ arguments: [String], _ database: TestDatabase, _ environment: [String: String] = [:]) throws -> WebhooksCLITests.Run {
        try WebhooksCLITests.dealerd(arguments, database: database, environment: environment)
    }

    @Test(arguments: Backend.available)
    func anOperatorSealsPlainSecretsAndLaterChangesTheKey(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let (endpoint, secret) = try await database.withStore { (store: Store) async throws in
            try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
        }
        let generated = try Self.dealerd(["secrets", "generate-key"], database)
        let keyA = generated.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(generated.status == 0 && Data(base64Encoded: keyA)?.count == 32)
        let keyB = try Self.dealerd(["secrets", "generate-key"], database).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(keyA != keyB)

        let plain = try Self.dealerd(["secrets", "status"], database)
        #expect(plain.status == 1 && plain.output.contains("key: not set") && plain.output.contains("in plain text: 1"))
        let check = try Self.dealerd(["config", "check"], database)
        #expect(check.status == 0 && check.errors.contains("DEALERD_SECRETS_KEY is not set"))
        let noKey = try Self.dealerd(["secrets", "rotate"], database)
        #expect(noKey.status == 78 && noKey.errors.contains("generate-key"))
        let badKey = try Self.dealerd(["secrets", "status"], database, ["DEALERD_SECRETS_KEY": "c2hvcnQ="])
        #expect(badKey.status == 78 && badKey.errors.contains("32 bytes, not 5"))
        #expect(!badKey.errors.contains("c2hvcnQ="), "the key is never echoed")

        let sealed = try Self.dealerd(["secrets", "rotate"], database, ["DEALERD_SECRETS_KEY": keyA])
        #expect(sealed.status == 0 && sealed.output.contains("re-sealed 1 webhook endpoint "))
        let afterA = try Self.dealerd(["secrets", "status"], database, ["DEALERD_SECRETS_KEY": keyA])
        #expect(afterA.status == 0 && afterA.output.contains("sealed under the key: 1"))
        let checkA = try Self.dealerd(["config", "check"], database, ["DEALERD_SECRETS_KEY": keyA])
        #expect(!checkA.errors.contains("DEALERD_SECRETS_KEY is not set") && !checkA.output.contains(keyA))

        let wrong = try Self.dealerd(["secrets", "rotate"], database, ["DEALERD_SECRETS_KEY": keyB])
        #expect(wrong.status == 65 && wrong.errors.contains("nothing was re-sealed") && wrong.errors.contains(endpoint.id.lowercased))
        let moved = try Self.dealerd(["secrets", "rotate"], database, ["DEALERD_SECRETS_KEY": keyB, "DEALERD_SECRETS_KEY_PREVIOUS": keyA])
        #expect(moved.status == 0 && moved.output.contains("re-sealed 1"))

        // The secret signing deliveries is still the one the receiver was given.
        let sealer = SecretSealer(current: try SecretSealer.Key(base64: keyB))
        try await database.withStore(secrets: sealer) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(), by: testActor)
            _ = try await store.fanOutEvents(limit: 10)
            let dispatch = try #require(try await store.claimDueDeliveries(owner: "t", lease: 30, limit: 10).first)
            #expect(dispatch.secrets == [secret])
        }
    }
}
