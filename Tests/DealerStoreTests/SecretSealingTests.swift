import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

/// Webhook secrets at rest: sealed under DEALERD_SECRETS_KEY, still signing, re-sealed on rotation.
@Suite("Sealed secrets")
struct SecretSealingTests {
    static let keyA = try! SecretSealer.Key(base64: Data(repeating: 0xA1, count: 32).base64EncodedString())
    static let keyB = try! SecretSealer.Key(base64: Data(repeating: 0xB2, count: 32).base64EncodedString())

    static func storedSecret(_ store: Store, _ id: UUID) async throws -> (secret: String, previous: String?) {
        try await store.database.read { sql in
            let row = try #require(try await sql.raw("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = \(bind: id)").first())
            return (try row.decode(column: "secret", as: String.self), try row.decode(column: "previous_secret", as: String?.self))
        }
    }

    static func claimedSecrets(_ store: Store) async throws -> WebhookDispatch {
        _ = try await store.fanOutEvents(limit: 100)
        return try #require(try await store.claimDueDeliveries(owner: "t", lease: 30, limit: 10).first)
    }

    @Test func aKeyIsThirtyTwoBytesOfBase64AndItsIDRevealsNothing() throws {
        #expect(throws: SecretSealer.Problem.keyWrongLength(16)) { try SecretSealer.Key(base64: Data(count: 16).base64EncodedString()) }
        #expect(throws: SecretSealer.Problem.keyNotBase64) { try SecretSealer.Key(base64: "not base64!") }
        #expect(Self.keyA.id.count == 8 && Self.keyA.id != Self.keyB.id)
        #expect(!Data(repeating: 0xA1, count: 32).base64EncodedString().contains(Self.keyA.id))
        let sealer = SecretSealer(current: Self.keyA)
        let sealed = try sealer.seal("whsec_abc", context: "row-1")
        #expect(sealed.hasPrefix("sealed:v1:\(Self.keyA.id):") && !sealed.contains("whsec_abc"))
        #expect(try sealer.open(sealed, context: "row-1") == "whsec_abc")
        #expect(throws: SecretSealer.Problem.damaged, "a sealed value moved to another row does not open") {
            try sealer.open(sealed, context: "row-2")
        }
        #expect(throws: SecretSealer.Problem.unknownKey(Self.keyA.id)) { try SecretSealer(current: Self.keyB).open(sealed, context: "row-1") }
        #expect(throws: SecretSealer.Problem.noKey) { try SecretSealer.none.open(sealed, context: "row-1") }
        #expect(try SecretSealer.none.open("whsec_plain", context: "row-1") == "whsec_plain")
    }

    @Test(arguments: Backend.available)
    func aSealedSecretIsNotInTheDatabaseYetSignsAndSurvivesARotation(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let sealer = SecretSealer(current: Self.keyA)
        let (endpoint, secret) = try await database.withStore(secrets: sealer) { (store: Store) async throws in
            let (endpoint, secret) = try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
            let stored = try await Self.storedSecret(store, endpoint.id)
            #expect(stored.secret.hasPrefix("sealed:v1:") && !stored.secret.contains(secret.text))
            _ = try await store.createDealer(.sample(), by: testActor)
            let dispatch = try await Self.claimedSecrets(store)
            #expect(dispatch.secretProblem == nil)
            #expect(dispatch.secrets == [secret])
            return (endpoint, secret)
        }
        // A process without the key cannot sign: the attempt is failed with the reason, not sent unsigned.
        try await database.withStore(clock: TestClock(Date().addingTimeInterval(60))) { (store: Store) async throws in
            let dispatch = try #require(try await store.claimDueDeliveries(owner: "u", lease: 30, limit: 10).first)
            #expect(dispatch.secrets.isEmpty)
            #expect(dispatch.secretProblem?.contains("DEALERD_SECRETS_KEY is not set") == true)
        }
        // Rotating the webhook secret keeps the previous one sealed and usable in its grace period.
        try await database.withStore(clock: TestClock(Date().addingTimeInterval(120)), secrets: sealer) { (store: Store) async throws in
            let (_, next) = try await store.rotateWebhookSecret(id: endpoint.id, grace: 3600, by: testActor)
            let stored = try await Self.storedSecret(store, endpoint.id)
            #expect(stored.previous?.hasPrefix("sealed:v1:") == true && stored.secret.hasPrefix("sealed:v1:"))
            let dispatch = try #require(try await store.claimDueDeliveries(owner: "v", lease: 30, limit: 10).first)
            #expect(dispatch.secrets == [next, secret])
        }
    }

    @Test(arguments: Backend.available)
    func rotateSealsPlainSecretsThenMovesThemToANewKeyAllOrNothing(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let (first, firstSecret) = try await database.withStore { (store: Store) async throws in
            try await store.createWebhookEndpoint(.init(url: "https://erp.example.ru/hook"), by: testActor)
        }
        // Under key A: the plain secret is sealed; a second run has nothing to do.
        try await database.withStore(secrets: SecretSealer(current: Self.keyA)) { (store: Store) async throws in
            #expect(try await store.storedSecretsReport().plain == 1)
            #expect(try await store.resealSecrets(by: testActor) == 1)
            #expect(try await store.resealSecrets(by: testActor) == 0)
            let report = try await store.storedSecretsReport()
            #expect(report.sealedCurrent == 1 && report.plain == 0)
            #expect(try await Self.storedSecret(store, first.id).secret.hasPrefix("sealed:v1:\(Self.keyA.id):"))
        }
        // Key B without A: nothing opens, so nothing changes, and the endpoint is named.
        try await database.withStore(secrets: SecretSealer(current: Self.keyB)) { (store: Store) async throws in
            #expect(try await store.storedSecretsReport().unreadable == 1)
            await #expect {
                try await store.resealSecrets(by: testActor)
            } throws: { error in
                guard case DomainError.conflict(_, let message) = error else { return false }
                return message.contains(first.id.lowercased) && message.contains("nothing was re-sealed")
            }
            #expect(try await Self.storedSecret(store, first.id).secret.hasPrefix("sealed:v1:\(Self.keyA.id):"))
        }
        // Key B with A as the previous key: moved to B, and the secret is the same one.
        try await database.withStore(secrets: SecretSealer(current: Self.keyB, previous: [Self.keyA])) { (store: Store) async throws in
            #expect(try await store.storedSecretsReport().sealedPrevious == 1)
            #expect(try await store.resealSecrets(by: testActor) == 1)
            #expect(try await Self.storedSecret(store, first.id).secret.hasPrefix("sealed:v1:\(Self.keyB.id):"))
        }
        try await database.withStore(secrets: SecretSealer(current: Self.keyB)) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(), by: testActor)
            let dispatch = try await Self.claimedSecrets(store)
            #expect(dispatch.secrets == [firstSecret])
        }
    }
}
