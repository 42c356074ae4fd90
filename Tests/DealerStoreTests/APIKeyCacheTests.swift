import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("The API key cache")
struct APIKeyCacheTests {
    /// The cache answers only while trusted; a revocation clears it, and a lookup that read the
    /// database before the revocation cannot put the revoked key back.
    @Test(arguments: Backend.available)
    func aKeyIsServedFromTheCacheOnlyWhileRevocationsCanReachIt(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let issued = try await store.createAPIKey(name: "erp", role: .integration, by: testActor)
            let cache = store.apiKeyCache
            #expect(try await store.authenticate(secret: issued.secret)?.name == "erp")

            // Untrusted (no listener): every lookup reads the database, so a revocation shows at once.
            _ = try await store.revokeAPIKey("erp", by: testActor)
            #expect(try await store.authenticate(secret: issued.secret) == nil)

            let second = try await store.createAPIKey(name: "erp-2", role: .integration, by: testActor)
            cache.setTrusted(true)
            #expect(try await store.authenticate(secret: second.secret)?.name == "erp-2")
            // Revoked behind the store's back (as another process would, before its NOTIFY arrives):
            // the cache still answers — until the notification invalidates it.
            try await store.database.transaction { sql in
                try await sql.raw("UPDATE api_keys SET revoked_at = \(bind: Date()) WHERE name = 'erp-2'").run()
            }
            #expect(try await store.authenticate(secret: second.secret)?.name == "erp-2")
            cache.invalidate()
            #expect(try await store.authenticate(secret: second.secret) == nil)
            cache.setTrusted(false)
        }
    }
}
