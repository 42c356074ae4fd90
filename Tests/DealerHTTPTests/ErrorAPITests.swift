import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Errors are problem+json and never 500")
struct ErrorAPITests {
    @Test(arguments: Backend.available)
    func badContentIsNamedFieldByField(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let invalid = try await api.call(
                .post, "/v1/dealers",
                json: #"{"code": "D-1", "name": "", "tax_id": "7707083894", "contacts": [{"name": "x", "email": "nope"}], "manager_id": "abc"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.headers[.contentType] == "application/problem+json")
            let fields = invalid.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue } ?? []
            #expect(fields == ["manager_id"] || Set(fields).isSuperset(of: ["name", "tax_id", "contacts[0].email"]))

            let checked = try await api.call(
                .post, "/v1/dealers", json: #"{"code": "D-1", "name": "", "tax_id": "7707083894", "contacts": [{"name": "x", "email": "nope"}]}"#)
            #expect(
                Set(checked.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue } ?? []) == ["name", "tax_id", "contacts[0].email"])

            let wrongType = try await api.call(.post, "/v1/dealers", json: #"{"code": 5, "name": "X", "tax_id": "7707083893"}"#)
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.json["invalid_params"]?.array.first?["name"] == .string("code"))

            let nested = try await api.call(
                .post, "/v1/dealers", json: #"{"code": "D", "name": "X", "tax_id": "7707083893", "contacts": [{"name": 1}]}"#)
            #expect(nested.json["invalid_params"]?.array.first?["name"] == .string("contacts[0].name"))

            let malformed = try await api.call(.post, "/v1/dealers", json: #"{"code": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json["type"] == .string("urn:dealerd:problem:malformed_json"))

            let notObject = try await api.call(.post, "/v1/dealers", json: "[1, 2]")
            #expect(notObject.status == .unprocessableContent)

            let empty = try await api.call(.post, "/v1/dealers", json: "")
            #expect(empty.status == .badRequest)

            let statusInPatch = try await api.call(.patch, "/v1/dealers/\(UUID().lowercased)", json: #"{"status": "accredited"}"#)
            #expect(statusInPatch.status == .unprocessableContent)

            #expect(try await api.call(.get, "/v1/dealers").json["items"]?.array.isEmpty == true)
            #expect(try await api.call(.get, "/v1/events").json["items"]?.array.isEmpty == true)
        }
    }

    @Test(arguments: Backend.available)
    func oversizeBodiesAreRefusedWith413(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: { $0.http.maxBodyBytes = 2048 }) { api in
            let big = dealerJSON(code: "D-1", name: String(repeating: "Я", count: 3000))
            let reply = try await api.call(.post, "/v1/dealers", json: big)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.json["detail"] == .string("the body may have at most 2048 bytes (http.max_body_bytes)"))
        }
    }

    @Test(arguments: Backend.available)
    func unknownThingsAreNotFound(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let missing = try await api.call(.get, "/v1/dealers/\(UUID().lowercased)")
            #expect(missing.status == .notFound)
            #expect(missing.json["type"] == .string("urn:dealerd:problem:not_found"))
            #expect(try await api.call(.get, "/v1/dealers/not-a-uuid").status == .notFound)
            #expect(try await api.call(.patch, "/v1/managers/\(UUID().lowercased)", json: "{}").status == .notFound)
            #expect(try await api.call(.get, "/v1/nothing-here").status == .notFound)
        }
    }

    @Test(arguments: Backend.available)
    func badQueryParametersAreNamed(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            for (query, field) in [
                ("limit=0", "limit"), ("limit=many", "limit"), ("status=sleeping", "status"), ("manager=x", "manager"),
                ("cursor=zzz", "cursor"),
            ] {
                let reply = try await api.call(.get, "/v1/dealers?\(query)")
                #expect(reply.status == .unprocessableContent, "\(query)")
                #expect(reply.json["invalid_params"]?.array.first?["name"] == .string(field), "\(query)")
            }
            #expect(try await api.call(.get, "/v1/events?after=-1").status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/events?type=dealer.exploded").status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/managers?active=perhaps").status == .unprocessableContent)
        }
    }
}
