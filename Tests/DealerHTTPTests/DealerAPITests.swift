import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Dealers through the API")
struct DealerAPITests {
    @Test(arguments: Backend.available)
    func aNewUserCanRunTheWholeTour(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let manager = try await api.call(
                .post, "/v1/managers", as: .manager, json: #"{"name": "Анна Иванова", "email": "anna@example.ru", "role": "existing_clients"}"#)
            #expect(manager.status == .created)
            let managerID = try #require(manager.json["id"]?.stringValue)

            let created = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(
                    code: "D-001", name: "Альфа Моторс",
                    extra:
                        #""kpp": "773601001", "manager_id": "\#(managerID)", "contacts": [{"name": "Пётр", "phone": "+7 495 123-45-67"}], "attributes": {"showroom_area_m2": 180, "own_warehouse": true}"#
                ))
            #expect(created.status == .created)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.headers[.location] == "/v1/dealers/\(id)")
            #expect(created.json["status"] == .string("prospect"))
            #expect(created.json["attributes"]?["showroom_area_m2"] == .number(180))

            let patched = try await api.call(.patch, "/v1/dealers/\(id)", as: .manager, json: #"{"city": "Химки", "kpp": null}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["city"] == .string("Химки"))
            #expect(patched.json["kpp"] == .null)

            let applied = try await api.call(
                .post, "/v1/dealers/\(id)/status", as: .manager, json: #"{"status": "applicant", "reason": "подал заявку"}"#)
            #expect(applied.status == .ok && applied.json["status"] == .string("applicant"))
            // Accredited is a decision, never a status change: the route says where to go.
            let shortcut = try await api.call(
                .post, "/v1/dealers/\(id)/status", as: .manager, json: #"{"status": "accredited", "reason": "профиль выполнен"}"#)
            #expect(shortcut.status == .conflict && shortcut.json["type"] == .string("urn:dealerd:problem:accreditation_required"))
            #expect(shortcut.json["detail"]?.stringValue?.contains("POST /v1/dealers/{id}/accreditations") == true, "\(shortcut.text)")
            #expect(try await api.call(.get, "/v1/dealers/\(id)").json["status"] == .string("applicant"))
            try await api.accredit(id)
            let suspended = try await api.call(
                .post, "/v1/dealers/\(id)/status", as: .manager, json: #"{"status": "suspended", "reason": "просрочка оплаты"}"#)
            #expect(suspended.status == .ok && suspended.json["status"] == .string("suspended"))
            // A suspended dealer comes back only by re-accreditation, not by the status route.
            let back = try await api.call(
                .post, "/v1/dealers/\(id)/status", as: .manager, json: #"{"status": "accredited", "reason": "долг погашен"}"#)
            #expect(back.status == .conflict && back.json["type"] == .string("urn:dealerd:problem:accreditation_required"))

            let found = try await api.call(.get, "/v1/dealers?q=\(KnownINN.organisations[0])", as: .viewer)
            #expect(found.json["items"]?.array.map { $0["id"] } == [.string(id)])
            let byManager = try await api.call(.get, "/v1/dealers?manager=\(managerID)&status=suspended", as: .viewer)
            #expect(byManager.json["items"]?.array.count == 1)
            #expect(try await api.call(.get, "/v1/dealers/\(id)", as: .accountant).json["status"] == .string("suspended"))

            let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(id)")
            #expect(audit.status == .ok)
            #expect(
                audit.json["items"]?.array.compactMap { $0["action"]?.stringValue } == [
                    "dealer.status_change", "dealer.status_change", "accreditation.override", "dealer.status_change", "dealer.update",
                    "dealer.create",
                ])
            #expect(audit.json["items"]?.array.last?["actor"] == .string("manager-key"))

            let events = try await api.call(.get, "/v1/events?dealer_id=\(id)", as: .integration)
            #expect(
                events.json["items"]?.array.compactMap { $0["type"]?.stringValue } == [
                    "dealer.created", "dealer.updated", "dealer.status_changed", "accreditation.decided", "dealer.status_changed",
                    "dealer.status_changed",
                ])
            #expect(events.json["items"]?.array.map { $0["dealer_seq"] } == (1...6).map { JSONValue.number(Decimal($0)) })
            let cursor = try #require(events.json["next_cursor"]?.stringValue)
            let idle = try await api.call(.get, "/v1/events?after=\(cursor)", as: .integration)
            #expect(idle.json["items"]?.array.isEmpty == true)
            #expect(idle.json["next_cursor"] == .string(cursor))
        }
    }

    @Test(arguments: Backend.available)
    func anInvalidTransitionIsAConflictListingTheAllowedMoves(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let id = try #require(try await api.call(.post, "/v1/dealers", json: dealerJSON(code: "D-1", name: "Альфа")).json["id"]?.stringValue)
            let refused = try await api.call(.post, "/v1/dealers/\(id)/status", json: #"{"status": "accredited", "reason": "быстро"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.json["type"] == .string("urn:dealerd:problem:invalid_transition"))
            #expect(refused.json["allowed"] == .array([.string("applicant"), .string("terminated")]))
            #expect(try await api.call(.get, "/v1/dealers/\(id)").json["status"] == .string("prospect"))
        }
    }

    @Test(arguments: Backend.available)
    func listsPageWithACursor(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            for index in 0..<5 {
                try await api.call(
                    .post, "/v1/dealers", json: dealerJSON(code: "P-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index]))
            }
            let first = try await api.call(.get, "/v1/dealers?limit=2")
            let cursor = try #require(first.json["next_cursor"]?.stringValue)
            let second = try await api.call(.get, "/v1/dealers?limit=2&cursor=\(cursor)")
            let third = try await api.call(.get, "/v1/dealers?limit=2&cursor=\(try #require(second.json["next_cursor"]?.stringValue))")
            let names = [first, second, third].flatMap { $0.json["items"]?.array ?? [] }.compactMap { $0["name"]?.stringValue }
            #expect(names == (0..<5).map { "Дилер \($0)" })
            #expect(third.json["next_cursor"] == .null)
        }
    }

    @Test(arguments: Backend.available)
    func managersAreListedAndUpdated(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let created = try await api.call(.post, "/v1/managers", json: #"{"name": "Борис", "email": "Boris@Example.ru", "role": "head"}"#)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.json["email"] == .string("boris@example.ru"))
            let updated = try await api.call(.patch, "/v1/managers/\(id)", json: #"{"active": false}"#)
            #expect(updated.json["active"] == .bool(false))
            #expect(try await api.call(.get, "/v1/managers?active=false", as: .viewer).json["items"]?.array.count == 1)
            #expect(try await api.call(.get, "/v1/managers/\(id)", as: .viewer).json["name"] == .string("Борис"))
            let duplicate = try await api.call(.post, "/v1/managers", json: #"{"name": "Б2", "email": "boris@example.ru", "role": "call"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json["invalid_params"]?.array.first?["name"] == .string("email"))
        }
    }

    /// A manager cannot give itself (or anyone) authority: the sales role, the head of sales and
    /// whether a manager is active are an admin's to change. Its card's name it may keep.
    @Test(arguments: Backend.available)
    func aManagerCannotPromoteItself(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let anna = try await api.call(
                .post, "/v1/managers", as: .manager, json: #"{"name": "Анна", "email": "anna@example.ru", "role": "existing_clients"}"#)
            #expect(anna.status == .created)
            let id = try #require(anna.json["id"]?.stringValue)
            let annaKey = try await AccreditationDecisionAPITests.managerKey(api, for: "anna@example.ru")
            let promoted = try await api.call(.patch, "/v1/managers/\(id)", as: nil, json: #"{"role": "head"}"#, headers: annaKey)
            #expect(promoted.status == .forbidden, "\(promoted.text)")
            #expect(promoted.json["detail"]?.stringValue?.contains("only an admin") == true)
            #expect(try await api.call(.patch, "/v1/managers/\(id)", as: .manager, json: #"{"role": "call"}"#).status == .forbidden)
            #expect(try await api.call(.patch, "/v1/managers/\(id)", as: .manager, json: #"{"active": false}"#).status == .forbidden)
            let head = try await api.call(
                .post, "/v1/managers", as: .manager, json: #"{"name": "Я РОП", "email": "fake@example.ru", "role": "head"}"#)
            #expect(head.status == .forbidden)
            #expect(try await api.call(.get, "/v1/managers?role=head").json["items"]?.array.isEmpty == true, "nothing was stored")
            // Still a manager: an override stays the head of sales' decision.
            #expect(try await api.call(.get, "/v1/managers/\(id)").json["role"] == .string("existing_clients"))
            let renamed = try await api.call(.patch, "/v1/managers/\(id)", as: nil, json: #"{"name": "Анна Петрова"}"#, headers: annaKey)
            #expect(renamed.status == .ok && renamed.json["name"] == .string("Анна Петрова"))
            // The admin appoints.
            let appointed = try await api.call(.patch, "/v1/managers/\(id)", as: .admin, json: #"{"role": "head"}"#)
            #expect(appointed.status == .ok && appointed.json["role"] == .string("head"))
        }
    }
}
