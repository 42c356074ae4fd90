import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("API keys in the store")
struct APIKeyStoreTests {
    @Test(arguments: Backend.available)
    func aKeyAuthenticatesByItsSecretWhichIsNeverStored(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let issued = try await store.createAPIKey(name: "erp-1c", role: .integration, by: .cli)
            #expect(issued.secret.hasPrefix("dk_"))
            #expect(issued.secret.count == 46)
            let key = try await store.authenticate(secret: issued.secret)
            #expect(key?.name == "erp-1c")
            #expect(key?.role == .integration)
            #expect(try await store.authenticate(secret: issued.secret + "x") == nil)

            let stored = try await store.database.read { sql in
                try await sql.raw("SELECT key_hash, prefix FROM api_keys").all().map {
                    (try $0.decode(column: "key_hash", as: String.self), try $0.decode(column: "prefix", as: String.self))
                }
            }
            #expect(stored.count == 1)
            #expect(stored[0].0.count == 64)
            #expect(!stored[0].0.contains(issued.secret))
            #expect(issued.secret.hasPrefix(stored[0].1))
            #expect(try await store.apiKeys().first?.lastUsedAt == nil, "the use is noted, not written on the request path")
            #expect(try await store.flushAPIKeyUses() == 1)
            #expect(try await store.apiKeys().first?.lastUsedAt != nil)
            #expect(try await store.flushAPIKeyUses() == 0, "written once")
        }
    }

    @Test(arguments: Backend.available)
    func aRevokedKeyStopsWorkingAndTheRevocationIsAudited(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let issued = try await store.createAPIKey(name: "temp", role: .viewer, by: .cli)
            let revoked = try await store.revokeAPIKey("temp", by: .cli)
            #expect(revoked.revokedAt != nil)
            #expect(try await store.authenticate(secret: issued.secret) == nil)
            #expect(try await store.auditEntries(AuditQuery(entityType: "api_key")).items.map(\.action) == ["apikey.revoke", "apikey.create"])
            await #expect(throws: DomainError.notFound(entity: "api key", id: "nobody")) { try await store.revokeAPIKey("nobody", by: .cli) }
        }
    }

    @Test(arguments: Backend.available)
    func keyNamesAreUnique(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            _ = try await store.createAPIKey(name: "ops", role: .admin, by: .cli)
            await #expect(throws: DomainError.conflict(field: "name", message: "a key named ops already exists")) {
                try await store.createAPIKey(name: "ops", role: .viewer, by: .cli)
            }
        }
    }
}
