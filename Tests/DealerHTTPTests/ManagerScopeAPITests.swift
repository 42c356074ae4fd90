import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// `auth.manager_scope: own`: a manager key sees and changes only the dealers it manages or serves,
/// and every list, KPI and the event feed it reads are cut the same way.
@Suite("Manager scope")
struct ManagerScopeAPITests {
    /// Anna's dealer; Boris's dealer that Sveta serves; Boris's alone. Keys bound to Boris and Sveta.
    struct Network {
        var anna: String
        var boris: String
        var annas: String
        var borisAndSveta: String
        var borisOnly: String
        var borisKey: HTTPFields
        var svetaKey: HTTPFields
    }

    /// Anna and Boris sell, Sveta serves; Boris and Sveta have keys bound to them (made before the
    /// server starts, see `APIHarness.run`).
    @Sendable static func team(_ store: Store) async throws -> [String: String] {
        var made: [String: String] = [:]
        for (name, full, role) in [
            ("anna", "Анна Иванова", SalesRole.existingClients), ("boris", "Борис Петров", .existingClients), ("sveta", "Светлана Орлова", .service),
        ] {
            let manager = try await store.createManager(ManagerDraft(name: full, email: "\(name)@example.ru", role: role), by: .cli)
            made[name] = manager.id.lowercased
            made[name + ".key"] = try await store.createAPIKey(name: "key-\(name)", role: .manager, manager: "\(name)@example.ru", by: .cli).secret
        }
        return made
    }

    static func network(_ api: APIHarness) async throws -> Network {
        let anna = try #require(api.namedKeys["anna"])
        let boris = try #require(api.namedKeys["boris"])
        let sveta = try #require(api.namedKeys["sveta"])
        var ids: [String] = []
        let people = [
            #""manager_id": "\#(anna)""#, #""manager_id": "\#(boris)", "service_specialist_id": "\#(sveta)""#, #""manager_id": "\#(boris)""#,
        ]
        for (index, names) in people.enumerated() {
            let created = try await api.call(
                .post, "/v1/dealers",
                json: dealerJSON(code: "SC-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index], extra: names))
            let id = try #require(created.json["id"]?.stringValue, "\(created.text)")
            let shipment =
                #"{"external_id": "SC-\#(index)-1", "kind": "shipment", "document_number": "РН-\#(index)", "document_date": "02.11.2026", "amount": "\#(index + 1)000", "currency": "RUB"}"#
            #expect(try await api.call(.post, "/v1/dealers/\(id)/ledger", as: .integration, json: shipment).status == .created)
            ids.append(id)
        }
        return Network(
            anna: anna, boris: boris, annas: ids[0], borisAndSveta: ids[1], borisOnly: ids[2],
            borisKey: api.bearer("boris.key"), svetaKey: api.bearer("sveta.key"))
    }

    static func ids(_ reply: APIHarness.Reply, _ field: String = "id") -> Set<String> {
        Set((reply.json["items"]?.array ?? []).compactMap { $0[field]?.stringValue })
    }

    @Test(arguments: Backend.available)
    func underOwnScopeAManagerSeesAndChangesOnlyItsDealers(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: { $0.managerScope = .own }, prepare: Self.team) { api in
            let net = try await Self.network(api)
            let mine: Set = [net.borisAndSveta, net.borisOnly]
            let boris = net.borisKey

            #expect(Self.ids(try await api.call(.get, "/v1/dealers", as: nil, headers: boris)) == mine)
            #expect(
                Self.ids(try await api.call(.get, "/v1/dealers", as: nil, headers: net.svetaKey)) == [net.borisAndSveta], "the dealers she serves")
            #expect(Self.ids(try await api.call(.get, "/v1/dealers")).count == 3, "an admin sees every dealer")
            #expect(Self.ids(try await api.call(.get, "/v1/receivables", as: nil, headers: boris), "dealer_id") == mine)
            let events = try await api.call(.get, "/v1/events?after=0&limit=500", as: nil, headers: boris)
            let eventDealers = Set((events.json["items"]?.array ?? []).compactMap { $0["dealer_id"]?.stringValue })
            #expect(eventDealers == mine, "\(events.text.prefix(300))")
            let plans = try await api.call(.get, "/v1/plans/fulfillment?period=2026-11&group_by=dealer", as: nil, headers: boris)
            #expect(Set((plans.json["lines"]?.array ?? []).compactMap { $0["key"]?.stringValue }) == mine, "\(plans.text.prefix(300))")
            #expect(plans.json["total"]?["fact"]?.stringValue == "5000.00", "2 000 + 3 000, not Anna's 1 000: \(plans.text.prefix(400))")

            #expect(try await api.call(.get, "/v1/dealers/\(net.borisAndSveta)", as: nil, headers: net.svetaKey).status == .ok)
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/v1/dealers/\(net.annas)", nil), (.get, "/v1/dealers/\(net.annas)/receivables", nil),
                (.patch, "/v1/dealers/\(net.annas)", #"{"city": "Тверь"}"#),
                (.post, "/v1/dealers/\(net.annas)/credit-check", #"{"amount": "10"}"#),
                (.get, "/v1/dealers/\(UUID().lowercased)", nil),
            ] {
                let refused = try await api.call(method, path, as: nil, json: body, headers: boris)
                #expect(
                    refused.status == .forbidden && refused.json["type"]?.stringValue?.hasSuffix("outside_manager_scope") == true,
                    "\(path): \(refused.text)")
            }
            #expect(try await api.call(.get, "/v1/dealers/\(net.annas)").json["city"] == .null, "nothing was changed")

            // A new card lands under its creator unless it names him; another manager's is refused.
            let created = try await api.call(
                .post, "/v1/dealers", as: nil, json: dealerJSON(code: "SC-NEW", name: "Новый", taxID: KnownINN.organisations[3]), headers: boris)
            #expect(created.status == .created && created.json["manager_id"]?.stringValue == net.boris, "\(created.text)")
            let forAnna = try await api.call(
                .post, "/v1/dealers", as: nil,
                json: dealerJSON(code: "SC-A", name: "Чужой", taxID: KnownINN.organisations[4], extra: #""manager_id": "\#(net.anna)""#),
                headers: boris)
            #expect(forAnna.status == .forbidden)
            #expect(try await api.call(.get, "/v1/dealers?q=SC-A").json["items"]?.array.isEmpty == true, "nothing was stored")

            let job = try await api.call(.post, "/v1/jobs/credit-scan/run", as: nil, headers: boris)
            #expect(job.status == .forbidden && job.text.contains("admin"))
            let acts = try await api.call(.post, "/v1/reconciliation-acts/generate", as: nil, json: #"{"period": "2026-11"}"#, headers: boris)
            #expect(acts.status == .unprocessableContent && acts.json["invalid_params"]?.array.first?["name"]?.stringValue == "dealer_id")
            let others = try await api.call(
                .post, "/v1/reconciliation-acts/generate", as: nil, json: #"{"period": "2026-11", "dealer_id": "\#(net.annas)"}"#, headers: boris)
            #expect(others.status == .forbidden)

            // A manager key bound to no one says so instead of showing an empty network.
            let unbound = try await api.call(.get, "/v1/dealers", as: .manager)
            #expect(unbound.status == .forbidden && unbound.text.contains("--manager"))
        }
    }

    @Test(arguments: Backend.available)
    func byDefaultEveryManagerSeesTheWholeNetwork(_ backend: Backend) async throws {
        try await APIHarness.run(backend, prepare: Self.team) { api in
            let net = try await Self.network(api)
            #expect(Self.ids(try await api.call(.get, "/v1/dealers", as: nil, headers: net.svetaKey)).count == 3)
            #expect(try await api.call(.get, "/v1/dealers/\(net.annas)", as: nil, headers: net.borisKey).status == .ok)
            #expect(try await api.call(.get, "/v1/dealers", as: .manager).status == .ok)
        }
    }
}
