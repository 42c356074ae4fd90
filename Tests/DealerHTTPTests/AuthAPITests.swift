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
            var checked = 0
            for route in routes {
                guard case .roles(let allowed) = route.access else { continue }
                let uri = route.path.replacingOccurrences(of: "{id}", with: UUID().lowercased)
                    .replacingOccurrences(of: "{name}", with: "housekeeping")
                    .replacingOccurrences(of: "{external_id}", with: "1C-000123")
                for role in Role.allCases where !allowed.contains(role) {
                    let reply = try await api.call(route.method, uri, as: role, json: "{}")
                    #expect(reply.status == .forbidden, "\(route.method) \(route.path) as \(role)")
                    checked += 1
                }
                let anonymous = try await api.call(route.method, uri, as: nil, json: "{}")
                #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) without a key")
            }
            #expect(checked > 10)
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
        try await app.test(.live) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(secret)"]
            #expect(try await client.execute(uri: "/v1/dealers", method: .get, headers: headers).status == .ok)
            try await database.withStore { store in _ = try await store.revokeAPIKey("leaving", by: .cli) }
            #expect(try await client.execute(uri: "/v1/dealers", method: .get, headers: headers).status == .unauthorized)
        }
    }
}
