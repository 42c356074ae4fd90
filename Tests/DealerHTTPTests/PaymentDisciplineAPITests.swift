import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

/// A dealer's payment discipline as the accountant and the dealer read it: the worked example of
/// `PaymentDisciplineTests` sent through the ledger API, on both databases.
@Suite("Payment discipline through the API")
struct PaymentDisciplineAPITests {
    static let today = Date(timeIntervalSince1970: 1_796_288_400)  // 2026-12-03T09:00:00Z

    @Test(arguments: Backend.available)
    func dsoAndDaysLateByMonthForTheAccountantAndTheDealerItself(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today)) { api in
            let created = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "PD-1", name: "Альфа Моторс"))
            let dealer = try #require(created.json["id"]?.stringValue, "\(created.text)")
            for (id, kind, date, amount, due) in [
                ("S1", "shipment", "2026-10-01", "100000.00", "2026-10-31"), ("S2", "shipment", "2026-10-15", "50000.00", "2026-11-14"),
                ("P1", "payment", "2026-11-05", "60000.00", nil), ("P2", "payment", "2026-11-20", "60000.00", nil),
                ("S3", "shipment", "2026-11-25", "30000.00", "2026-12-25"), ("R1", "return", "2026-11-26", "5000.00", nil),
            ] {
                let dueField = due.map { #", "due_date": "\#($0)""# } ?? ""
                let entry = try await api.call(
                    .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                    json:
                        #"{"external_id": "1C-\#(id)", "kind": "\#(kind)", "document_number": "\#(id)", "document_date": "\#(date)", "amount": "\#(amount)"\#(dueField)}"#
                )
                #expect(entry.status == .created, "\(entry.text)")
            }

            let report = try await api.call(
                .get, "/v1/dealers/\(dealer)/payment-discipline?from=2026-10-01&to=2026-11-30", as: .accountant)
            #expect(report.status == .ok, "\(report.text)")
            let json = report.json
            #expect(json["code"] == .string("PD-1") && json["currency"] == .string("RUB"))
            let total = json["total"]
            #expect(total?["sales"] == .string("175000.00") && total?["paid"] == .string("120000.00"))
            #expect(total?["balance_at_end"] == .string("55000.00") && total?["days"] == .number(61))
            #expect(total?["dso_days"] == .number(Decimal(string: "19.2")!), "55 000 × 61 / 175 000")
            #expect(total?["average_days_late"] == .number(Decimal(string: "10.2")!) && total?["max_days_late"] == .number(20))
            #expect(total?["paid_on_time_percent"] == .number(0) && total?["month"] == .null)
            let months = json["months"]?.array ?? []
            #expect(months.map { $0["month"] } == [.string("2026-10"), .string("2026-11")])
            #expect(months.first?["dso_days"] == .number(31) && months.first?["average_days_late"] == .null)
            #expect(months.last?["dso_days"] == .number(66) && months.last?["sales"] == .string("25000.00"))

            // By default the twelve months up to today, 03.12.2026: December has no sales, so no DSO.
            let year = try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline", as: .viewer).json
            #expect(year["from"] == .string("2026-01-01") && year["to"] == .string("2026-12-03"))
            #expect(year["months"]?.array.count == 12 && year["months"]?.array.last?["dso_days"] == .null)
            #expect(year["months"]?.array.last?["balance_at_end"] == .string("55000.00"))

            // The dealer reads its own; another dealer's key is refused here.
            let own = try await api.dealerKey(for: dealer)
            #expect(try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline", as: nil, headers: own).status == .ok)
            let other = try await api.call(
                .post, "/v1/dealers", as: .manager, json: dealerJSON(code: "PD-2", name: "Бета", taxID: KnownINN.organisations[1]))
            let otherKey = try await api.dealerKey(for: try #require(other.json["id"]?.stringValue))
            #expect(try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline", as: nil, headers: otherKey).status == .forbidden)

            let backwards = try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline?from=2026-11-01&to=2026-10-31")
            #expect(backwards.status == .unprocessableContent && backwards.json["invalid_params"]?.array.first?["name"] == .string("to"))
            let long = try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline?from=2020-01-01&to=2026-11-30")
            #expect(long.status == .unprocessableContent && long.json["invalid_params"]?.array.first?["name"] == .string("from"))
            let nonsense = try await api.call(.get, "/v1/dealers/\(dealer)/payment-discipline?from=31.13.2026")
            #expect(nonsense.status == .unprocessableContent && nonsense.json["invalid_params"]?.array.first?["name"] == .string("from"))
            #expect(try await api.call(.get, "/v1/dealers/\(UUID().lowercased)/payment-discipline").status == .notFound)
        }
    }
}
