import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Receivables through the API")
struct ReceivablesAPITests {
    @Test(arguments: Backend.available)
    func theERPPushesDocumentsAndTheShipmentIsCheckedAgainstTheLimit(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let dealer = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "R-1", name: "Ромашка"))
            let id = try #require(dealer.json["id"]?.stringValue)
            try await api.accredit(id)
            let noPolicy = try await api.call(.post, "/v1/dealers/\(id)/credit-check", as: .integration, json: #"{"amount": "1000"}"#)
            #expect(noPolicy.json["reasons"]?.array.first?["code"] == .string("no_policy"))
            #expect(try await api.call(.get, "/v1/dealers/\(id)/credit-policy").status == .notFound)

            let unexplained = try await api.call(.put, "/v1/dealers/\(id)/credit-policy", as: .manager, json: #"{"limit": "1000000.00"}"#)
            #expect(unexplained.status == .unprocessableContent)
            #expect(unexplained.json["invalid_params"]?.array.first?["name"] == .string("reason"))
            let policy = try await api.call(
                .put, "/v1/dealers/\(id)/credit-policy", as: .manager,
                json:
                    #"{"limit": "1000000.00", "payment_term_days": 14, "warning_percent": 80, "allowed_overdue_days": 3650, "reason": "договор №7"}"#)
            #expect(policy.status == .ok)
            #expect(policy.json["limit"] == .string("1000000.00") && policy.json["payment_term_days"] == .number(14))

            let shipment =
                #"{"external_id": "1C-000123", "kind": "shipment", "document_number": "РН-123", "document_date": "01.11.2026", "amount": "700 000,00", "currency": "RUB"}"#
            let stored = try await api.call(.post, "/v1/dealers/\(id)/ledger", as: .integration, json: shipment)
            #expect(stored.status == .created)
            #expect(stored.json["outcome"] == .string("created"))
            #expect(stored.json["due_date"] == .string("2026-11-15"), "document date + the policy's 14 days")
            let again = try await api.call(.post, "/v1/dealers/\(id)/ledger", as: .integration, json: shipment)
            #expect(again.status == .ok && again.json["outcome"] == .string("unchanged"))
            let changed = try await api.call(
                .post, "/v1/dealers/\(id)/ledger", as: .integration, json: shipment.replacingOccurrences(of: "700 000,00", with: "710000"))
            #expect(changed.status == .conflict)
            let corrected = try await api.call(
                .put, "/v1/dealers/\(id)/ledger/1C-000123", as: .integration, json: shipment.replacingOccurrences(of: "700 000,00", with: "710000"))
            #expect(corrected.json["outcome"] == .string("corrected") && corrected.json["version"] == .number(2))
            let versions = try await api.call(.get, "/v1/dealers/\(id)/ledger/1C-000123/versions", as: .accountant)
            #expect(versions.json["items"]?.array.compactMap { $0["amount"] } == [.string("700000.00"), .string("710000.00")])

            let batch = try await api.call(
                .post, "/v1/ledger/batch", as: .integration,
                json: #"""
                    {"entries": [
                      {"dealer_code": "R-1", "external_id": "1C-PAY-1", "kind": "payment", "document_number": "ПП-1", "document_date": "2026-11-05", "amount": "10000"},
                      {"dealer_id": "\#(id)", "external_id": "1C-000124", "kind": "invoice", "document_number": "СЧ-9", "document_date": "2026-11-20", "amount": 5000}
                    ]}
                    """#)
            #expect(batch.status == .ok)
            #expect(batch.json["created"] == .number(2))
            let invalid = try await api.call(
                .post, "/v1/ledger/batch", as: .integration,
                json:
                    #"{"entries": [{"dealer_code": "R-1", "external_id": "X", "kind": "gift", "document_number": "1", "document_date": "2026-11-05", "amount": "1", "currency": "USD"}]}"#
            )
            #expect(invalid.status == .unprocessableContent)
            let fields = Set(invalid.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue } ?? [])
            #expect(fields == ["entries[0].kind", "entries[0].currency"])
            let fractional = try await api.call(
                .post, "/v1/dealers/\(id)/ledger", as: .integration,
                json: #"{"external_id": "F", "kind": "payment", "document_number": "1", "document_date": "2026-11-05", "amount": 10.5}"#)
            #expect(fractional.status == .unprocessableContent, "a fractional JSON number may have lost its exactness")

            let receivables = try await api.call(.get, "/v1/dealers/\(id)/receivables", as: .viewer)
            #expect(receivables.json["balance"] == .string("705000.00"))
            #expect(receivables.json["limit"] == .string("1000000.00"))
            #expect(receivables.json["available"] == .string("295000.00"))
            #expect(receivables.json["utilization_percent"] == .number(70))
            #expect(receivables.json["open_documents"]?.array.count == 2)

            // 705,000 owed (overdue, but tolerated by this policy): 100,000 more is within the limit
            // (warning at 80 %), 400,000 more exceeds it.
            let warn = try await api.call(.post, "/v1/dealers/\(id)/credit-check", as: .integration, json: #"{"amount": "100000"}"#)
            #expect(warn.json["decision"] == .string("warn"))
            let block = try await api.call(
                .post, "/v1/dealers/\(id)/credit-check", as: .integration, json: #"{"amount": "300000.00", "open_orders": "100000"}"#)
            #expect(block.json["decision"] == .string("block"))
            #expect(block.json["reasons"]?.array.first?["message"] == .string("would exceed the limit of 1000000.00 RUB by 105000.00 RUB"))
            #expect(block.json["available_after"] == .string("-105000.00"))
            let feed = try await api.call(.get, "/v1/events?after=0&type=credit.shipment_blocked")
            #expect(feed.json["items"]?.array.count == 1)
            #expect(try await api.call(.post, "/v1/dealers/\(id)/credit-check", as: .integration, json: "{}").status == .unprocessableContent)
            #expect(try await api.call(.post, "/v1/dealers/\(id)/ledger", as: .viewer, json: shipment).status == .forbidden)
            let history = try await api.call(.get, "/v1/dealers/\(id)/credit-policy/history")
            #expect(history.json["items"]?.array.first?["reason"] == .string("договор №7"))
        }
    }
}

extension ReceivablesAPITests {
    @Test(arguments: Backend.available)
    func aManagerSeesWhoIsOverTheLimitAndByHowMuch(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let today = Timestamp.format(Date()).prefix(10)
            var ids: [String] = []
            for (index, (region, limit, owed)) in [("Москва", "100000", "120000"), ("Тверь", "100000", "85000"), ("Москва", "500000", "50000")]
                .enumerated()
            {
                let dealer = try await api.call(
                    .post, "/v1/dealers", as: .manager,
                    json: dealerJSON(code: "L-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index]))
                let id = try #require(dealer.json["id"]?.stringValue)
                if region != "Москва" {
                    _ = try await api.call(.patch, "/v1/dealers/\(id)", as: .manager, json: #"{"region": "\#(region)"}"#)
                }
                ids.append(id)
                _ = try await api.call(
                    .put, "/v1/dealers/\(id)/credit-policy", as: .accountant, json: #"{"limit": "\#(limit)", "reason": "договор"}"#)
                _ = try await api.call(
                    .post, "/v1/dealers/\(id)/ledger", as: .integration,
                    json:
                        #"{"external_id": "L-\#(index)-1", "kind": "shipment", "document_number": "1", "document_date": "\#(today)", "amount": "\#(owed)"}"#
                )
            }
            let byUtilization = try await api.call(.get, "/v1/receivables?sort=utilization", as: .viewer)
            #expect(byUtilization.status == .ok)
            #expect(byUtilization.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["L-0", "L-1", "L-2"])
            #expect(byUtilization.json["items"]?.array.first?["utilization_percent"] == .number(120))
            #expect(byUtilization.json["items"]?.array.first?["available"] == .string("-20000.00"))
            #expect(byUtilization.json["totals"]?.array.first?["balance"] == .string("255000.00"))
            #expect(byUtilization.json["totals"]?.array.first?["dealers"] == .number(3))
            let breached = try await api.call(.get, "/v1/receivables?state=breached", as: .manager)
            #expect(breached.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["L-0"])
            let warned = try await api.call(.get, "/v1/receivables?state=warning")
            #expect(warned.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["L-1"])
            let moscow = try await api.call(.get, "/v1/receivables?region=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&limit=1")
            #expect(moscow.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["L-0"], "largest balance first")
            #expect(moscow.json["totals"]?.array.first?["dealers"] == .number(2))
            let next = try #require(moscow.json["next_cursor"]?.stringValue)
            let second = try await api.call(.get, "/v1/receivables?region=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&limit=1&cursor=\(next)")
            #expect(second.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["L-2"])
            #expect(second.json["next_cursor"] == .null)
            #expect(try await api.call(.get, "/v1/receivables?sort=mood").status == .unprocessableContent)
            let alerts = try await api.call(.get, "/v1/events?after=0&type=credit.limit_breached")
            #expect(alerts.json["items"]?.array.count == 1, "the breach was alerted once, when the shipment was recorded")
        }
    }
}
