import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import dealerd

@Suite("Authentication and roles")
struct AuthAPITests {
    @Test(arguments: Backend.available)
    func aMissingOrUnknownKeyIs401(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let none = try await api.call(.get, "/v1/dealers", as: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.contentType] == "application/problem+json")
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"dealerd\"")
            let wrong = try await api.call(.get, "/v1/dealers", as: nil, headers: [.authorization: "Bearer dk_not-a-key"])
            #expect(wrong.status == .unauthorized)
            let basic = try await api.call(.get, "/v1/dealers", as: nil, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
        }
    }

    /// Walks the route table: every role a route does not allow gets 403, before any work is done.
    @Test(arguments: Backend.available)
    func everyRouteRefusesTheRolesItDoesNotAllow(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let routes = try await withRouteTable { $0 }
            // A dealer key is refused everywhere it is not listed and, where it is, for any dealer but its own.
            let own = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "OWN", name: "Свой"))
            let ownKey = try await api.dealerKey(for: try #require(own.json["id"]?.stringValue))
            var checked = 0
            for route in routes {
                guard case .roles(let allowed) = route.access else { continue }
                let uri = route.path.replacingOccurrences(of: "{id}", with: UUID().lowercased)
                    .replacingOccurrences(of: "{name}", with: "housekeeping")
                    .replacingOccurrences(of: "{external_id}", with: "1C-000123")
                    .replacingOccurrences(of: "{document_id}", with: UUID().lowercased)
                    .replacingOccurrences(of: "{promise_id}", with: UUID().lowercased)
                    .replacingOccurrences(of: "{period}", with: "2026-10")
                    .replacingOccurrences(of: "{manager}", with: "someone@example.ru")
                    .replacingOccurrences(of: "{kpi}", with: "calls")
                for role in Set<Role>.staff where !allowed.contains(role) {
                    let reply = try await api.call(route.method, uri, as: role, json: "{}")
                    #expect(reply.status == .forbidden, "\(route.method) \(route.path) as \(role)")
                    checked += 1
                }
                let asDealer = try await api.call(route.method, uri, as: nil, json: "{}", headers: ownKey)
                // A resource that names its dealer (an act) is as absent to another dealer as a missing one.
                let refusal: HTTPResponse.Status = route.dealerScope == .resource && allowed.contains(.dealer) ? .notFound : .forbidden
                #expect(asDealer.status == refusal, "\(route.method) \(route.path) as another dealer's key")
                let anonymous = try await api.call(route.method, uri, as: nil, json: "{}")
                #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) without a key")
            }
            #expect(checked > 10)
        }
    }

    /// A dealer reads its own receivables, policy and available credit — and nothing of another dealer.
    @Test(arguments: Backend.available)
    func aDealerKeySeesOnlyItsOwnPosition(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            var ids: [String] = []
            for (code, inn) in [("OWN", KnownINN.organisations[0]), ("OTHER", KnownINN.organisations[1])] {
                let dealer = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: code, name: code, taxID: inn))
                let id = try #require(dealer.json["id"]?.stringValue)
                ids.append(id)
                _ = try await api.call(
                    .put, "/v1/dealers/\(id)/credit-policy", as: .accountant, json: #"{"limit": "500000", "reason": "договор"}"#)
                _ = try await api.call(
                    .post, "/v1/dealers/\(id)/ledger", as: .integration,
                    json:
                        #"{"external_id": "РН-\#(code)", "kind": "shipment", "document_number": "1", "document_date": "2026-11-01", "amount": "120000"}"#
                )
            }
            let key = try await api.dealerKey(for: ids[0])

            let mine = try await api.call(.get, "/v1/dealers/\(ids[0])/receivables", as: nil, headers: key)
            #expect(mine.status == .ok)
            #expect(mine.json["balance"] == .string("120000.00") && mine.json["available"] == .string("380000.00"))
            let policy = try await api.call(.get, "/v1/dealers/\(ids[0])/credit-policy", as: nil, headers: key)
            #expect(policy.status == .ok && policy.json["limit"] == .string("500000.00"))

            for uri in [
                "/v1/dealers/\(ids[1])/receivables", "/v1/dealers/\(ids[1])/credit-policy", "/v1/receivables", "/v1/dealers",
                "/v1/dealers/\(ids[0])", "/v1/dealers/\(ids[0])/ledger", "/v1/dealers/\(ids[0])/credit-policy/history", "/v1/events",
            ] {
                let refused = try await api.call(.get, uri, as: nil, headers: key)
                #expect(refused.status == .forbidden, "\(uri)")
                #expect(!refused.text.contains("OTHER") && !refused.text.contains("120000"), "\(uri) leaks nothing")
            }
            let check = try await api.call(.post, "/v1/dealers/\(ids[0])/credit-check", as: nil, json: #"{"amount": "1"}"#, headers: key)
            #expect(check.status == .forbidden, "a dealer asks its manager, it does not check its own shipments")
        }
    }

    @Test(arguments: Backend.available)
    func aDealerKeyMustNameAnExistingDealerAndNoOtherKeyMay(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            await #expect(throws: ValidationError.self) { try await store.createAPIKey(name: "d", role: .dealer, by: .cli) }
            await #expect(throws: ValidationError.self) {
                try await store.createAPIKey(name: "d", role: .dealer, dealer: .code("NOPE"), by: .cli)
            }
            await #expect(throws: ValidationError.self) {
                try await store.createAPIKey(name: "m", role: .manager, dealer: .code("NOPE"), by: .cli)
            }
            #expect(try await store.apiKeys().isEmpty, "a refused key leaves nothing behind")
        }
    }

    @Test(arguments: Backend.available)
    func aRevokedKeyIsRefusedAtOnce(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let secret = try await database.withStore { store in
            try await store.createAPIKey(name: "leaving", role: .admin, by: .cli).secret
        }
        let config = try await DealerdConfigForTests.make(database.url)
        let app = try await buildTestApplication(config)
        try await withLiveServer(app) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(secret)"]
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/v1/dealers", method: .get, headers: headers).status == .ok)
            }
            // Revoked by another process (as `dealerd apikey revoke` does): on PostgreSQL the server's key
            // cache hears of it by NOTIFY at commit, within milliseconds; on SQLite nothing is cached.
            // Without the notification the cache would trust the key for its whole 60-second lifetime, so
            // a refusal within 20 seconds (a third of it, on shared and noisy machines) shows the notification at work.
            try await database.withStore { store in _ = try await store.revokeAPIKey("leaving", by: .cli) }
            try await eventually(timeout: .seconds(20), "the revoked key is refused") {
                try await client.execute(uri: "/v1/dealers", method: .get, headers: headers).status == .unauthorized
            }
            #expect(try await client.execute(uri: "/v1/dealers", method: .get, headers: headers).status == .unauthorized)
        }
    }
}
