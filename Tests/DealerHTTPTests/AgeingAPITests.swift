import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

/// The accountant's ageing report on the scorecards' example department (`ScorecardAPITests.seed`).
@Suite("The ageing report through the API and the command line")
struct AgeingAPITests {
    static func bucket(_ row: JSONValue?, _ name: String) -> JSONValue? { row?["buckets"]?[name] }

    @Test(arguments: Backend.available)
    func receivablesByDaysPastDueAsOfAnyDay(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(ScorecardAPITests.today), prepare: ScorecardAPITests.department) { api in
            _ = try await ScorecardAPITests.seed(api)
            // Today, 20.12: A-1's 2 000 000 of 15.11 fell due 15.12 and 500 000 of it is open (1–30
            // days); its 4 000 000 of 10.12 is not due yet, nor are A-2's and B-1's shipments. B-2
            // owes nothing and is left out.
            let today = try await api.call(.get, "/v1/reports/ageing", as: .accountant)
            #expect(today.status == .ok, "\(today.text)")
            let rows = today.json["rows"]?.array ?? []
            #expect(rows.map { $0["code"] } == ["A-1", "A-2", "B-1"].map(JSONValue.string), "largest balance first")
            #expect(rows[0]["balance"] == .string("4500000.00") && Self.bucket(rows[0], "days_1_30") == .string("500000.00"))
            #expect(Self.bucket(rows[0], "current") == .string("4000000.00") && Self.bucket(rows[0], "overdue") == .string("500000.00"))
            #expect(today.json["as_of"] == .string("2026-12-20"))
            #expect(Self.bucket(today.json["total"], "total") == .string("6700000.00") && today.json["total"]?["dealers"] == .number(3))

            // As of 15.02.2027 everything is past due: 500 000 for 62 days, the rest 35–42 days.
            let later = try await api.call(.get, "/v1/reports/ageing?as_of=2027-02-15&group_by=manager", as: .viewer).json
            #expect(Self.bucket(later["total"], "days_61_90") == .string("500000.00"))
            #expect(Self.bucket(later["total"], "days_31_60") == .string("6200000.00") && Self.bucket(later["total"], "current") == .string("0.00"))
            let groups = later["groups"]?.array ?? []
            #expect(groups.map { $0["name"] } == ["Анна Петрова", "Борис Орлов"].map(JSONValue.string))
            #expect(groups.map { $0["balance"] } == ["5700000.00", "1000000.00"].map(JSONValue.string))

            // As of 30.11 only the November shipment existed, not yet due.
            let november = try await api.call(.get, "/v1/reports/ageing?as_of=2026-11-30").json
            #expect(november["rows"]?.array.map { $0["code"] } == [.string("A-1")])
            #expect(Self.bucket(november["total"], "current") == .string("2000000.00"))

            let bad = try await api.call(.get, "/v1/reports/ageing?as_of=30.13.2026&group_by=city")
            #expect(bad.status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/reports/ageing", as: .integration).status == .forbidden)
        }
    }
}
