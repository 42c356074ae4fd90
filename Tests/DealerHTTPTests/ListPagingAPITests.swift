import DealerCore
import DealerJobs
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Every list is paged: a client walking `next_cursor` with a small `limit` gets each item once, in
/// the order of one big page, and a cursor or limit it was not given is a 422 naming the field.
@Suite("Lists are paged")
struct ListPagingAPITests {
    /// Every item of `path`, walked `limit` at a time, and the number of pages it took.
    static func walk(_ api: APIHarness, _ path: String, limit: Int, as role: Role = .admin) async throws -> (items: [JSONValue], pages: Int) {
        var items: [JSONValue] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "limit=\(limit)" + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let reply = try await api.call(.get, path + "?" + query, as: role)
            #expect(reply.status == .ok, "\(path): \(reply.text)")
            let page = reply.json["items"]?.array ?? []
            #expect(page.count <= limit)
            items += page
            cursor = reply.json["next_cursor"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 100
        return (items, pages)
    }

    @Test(arguments: Backend.available)
    func aClientWalksEveryDealerListAPageAtATime(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: { $0.webhooks.urlPolicy = WebhookURLPolicy(allowedHosts: ["127.0.0.1"]) }) { api in
            let created = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "PAGE-1", name: "Листающий"))
            let id = try #require(created.json["id"]?.stringValue)
            for (day, number) in [(3, "B"), (1, "C"), (3, "A"), (2, "D"), (1, "E")] {
                let entry =
                    #"{"external_id": "1C-\#(number)", "kind": "shipment", "document_number": "РН-1", "document_date": "0\#(day).11.2026", "amount": "1000", "currency": "RUB"}"#
                let stored = try await api.call(.post, "/v1/dealers/\(id)/ledger", as: .integration, json: entry)
                #expect(stored.status == .created, "\(stored.text)")
            }
            for amount in ["1001", "1002", "1003"] {
                let entry =
                    #"{"external_id": "1C-A", "kind": "shipment", "document_number": "РН-1", "document_date": "03.11.2026", "amount": "\#(amount)", "currency": "RUB"}"#
                #expect(try await api.call(.put, "/v1/dealers/\(id)/ledger/1C-A", as: .integration, json: entry).status == .ok)
            }
            for limit in ["100000", "200000", "300000"] {
                let policy = #"{"limit": "\#(limit)", "reason": "договор"}"#
                #expect(try await api.call(.put, "/v1/dealers/\(id)/credit-policy", as: .accountant, json: policy).status == .ok)
            }
            for kind in ["bank_reference", "charter", "lease"] {
                #expect(try await api.call(.post, "/v1/dealers/\(id)/documents", as: .manager, json: #"{"kind": "\#(kind)"}"#).status == .created)
            }
            try await api.accredit(id)
            try await api.bring(id, to: "suspended")
            try await api.accredit(id)
            // One promise runs at a time: two withdrawn, the third running.
            let promised = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow") ?? .gmt).adding(days: 5).iso
            for amount in ["1000", "2000", "3000"] {
                let promise = try await api.call(
                    .post, "/v1/dealers/\(id)/promises", as: .accountant, json: #"{"amount": "\#(amount)", "date": "\#(promised)"}"#)
                #expect(promise.status == .created, "\(promise.text)")
                if amount != "3000", let made = promise.json["id"]?.stringValue {
                    #expect(try await api.call(.post, "/v1/dealers/\(id)/promises/\(made)/cancel", as: .accountant).status == .ok)
                }
            }
            for number in 1...3 {
                let endpoint = #"{"url": "http://127.0.0.1:9/hook-\#(number)"}"#
                #expect(try await api.call(.post, "/v1/webhooks/endpoints", json: endpoint).status == .created)
            }

            let ledger = try await Self.walk(api, "/v1/dealers/\(id)/ledger", limit: 2)
            #expect(ledger.items.compactMap { $0["external_id"]?.stringValue } == ["1C-C", "1C-E", "1C-D", "1C-A", "1C-B"])
            #expect(ledger.pages == 3)
            let versions = try await Self.walk(api, "/v1/dealers/\(id)/ledger/1C-A/versions", limit: 3)
            #expect(versions.items.compactMap { $0["amount"]?.stringValue } == ["1000.00", "1001.00", "1002.00", "1003.00"])
            #expect(versions.pages == 2)
            let history = try await Self.walk(api, "/v1/dealers/\(id)/credit-policy/history", limit: 2)
            #expect(history.items.compactMap { $0["policy"]?["limit"]?.stringValue } == ["300000.00", "200000.00", "100000.00"])
            let documents = try await Self.walk(api, "/v1/dealers/\(id)/documents", limit: 1)
            #expect(documents.items.compactMap { $0["kind"]?.stringValue } == ["bank_reference", "charter", "lease"])
            #expect(documents.pages == 3)
            let promises = try await Self.walk(api, "/v1/dealers/\(id)/promises", limit: 2)
            #expect(promises.items.compactMap { $0["amount"]?.stringValue } == ["3000.00", "2000.00", "1000.00"], "newest first")
            #expect(promises.items.compactMap { $0["status"]?.stringValue } == ["open", "cancelled", "cancelled"])
            #expect(promises.pages == 2)
            let decisions = try await Self.walk(api, "/v1/dealers/\(id)/accreditations", limit: 1)
            let oneBigPage = try await api.call(.get, "/v1/dealers/\(id)/accreditations?limit=500").json["items"]?.array ?? []
            #expect(decisions.items.count >= 2 && decisions.items == oneBigPage, "newest first, each once (\(decisions.items.count))")
            #expect(decisions.pages == decisions.items.count)
            let endpoints = try await Self.walk(api, "/v1/webhooks/endpoints", limit: 2)
            #expect(endpoints.items.compactMap { $0["url"]?.stringValue } == (1...3).map { "http://127.0.0.1:9/hook-\($0)" })

            // The default page is 50, the most 500; anything else names the field.
            let paths = [
                "/v1/dealers/\(id)/ledger", "/v1/dealers/\(id)/documents", "/v1/dealers/\(id)/promises", "/v1/webhooks/endpoints",
                "/v1/dealers/\(id)/accreditations",
            ]
            for path in paths {
                for (query, field) in [
                    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=%D9%A3", "limit"), ("cursor=bm90LWEtY3Vyc29y", "cursor"),
                    // {"offset":-1}: well-formed, but no list hands out a position before its start.
                    ("cursor=eyJvZmZzZXQiOi0xfQ", "cursor"),
                ] {
                    let reply = try await api.call(.get, path + "?" + query)
                    #expect(reply.status == .unprocessableContent, "\(path)?\(query)")
                    #expect(reply.json["invalid_params"]?.array.first?["name"]?.stringValue == field, "\(path)?\(query): \(reply.text)")
                }
            }
        }
    }
}
