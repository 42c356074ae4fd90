import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// Housekeeping removes what can no longer sign anyone in, and nothing that still can.
@Suite("Spent sessions and links")
struct ConsoleStorePruningTests {
    @Test(arguments: Backend.available)
    func signedOutAndExpiredAccessIsRemovedAndLiveAccessKept(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let accounts = ConsoleStore(store)
            let user = try await accounts.createUser(ConsoleUserDraft(email: "irina@example.ru", name: "Ирина", role: .admin), by: testActor)
            let spent = try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: 3600, by: testActor)
            let signedOut = try await accounts.startSession(userID: user.id, address: "127.0.0.1")
            try await accounts.endSession(token: signedOut.token)
            let kept = try await accounts.startSession(userID: user.id, address: "127.0.0.1")
            #expect(try await accounts.pruneSpentAccess() == PrunedAccess(sessions: 1, links: 0, actLinks: 0))
            #expect(try await accounts.session(token: kept.token, policy: ConsoleSessionPolicy()) != nil, "a live session stays")
            #expect(try await accounts.linkHolder(code: spent) != nil, "an unexpired link stays")

            clock.advance(by: 2 * 3600)
            let fresh = try await accounts.makeLink(userID: user.id, purpose: .reset, lifetime: 3600, by: testActor)
            // The first link expired (and the new one spent it); the session is not yet past every lifetime.
            #expect(try await accounts.pruneSpentAccess() == PrunedAccess(sessions: 0, links: 1, actLinks: 0))
            #expect(try await accounts.linkHolder(code: fresh) != nil)

            clock.advance(by: 32 * 86400)
            #expect(try await accounts.pruneSpentAccess() == PrunedAccess(sessions: 1, links: 1, actLinks: 0))
            #expect(try await accounts.pruneSpentAccess().total == 0)
        }
    }
}
