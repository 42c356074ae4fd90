import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import SQLKit
import Testing

@testable import dealerd

@Suite("Shipment rhythm and sales plans through the API")
struct RhythmAndPlansAPITests {
    /// 2026-11-25 12:00 in Moscow.
    static let start = Date(timeIntervalSince1970: 1_795_597_200)

    struct Entry {
        var code: String
        var kind: String
        var date: String
        var amount: String
    }

    /// Dealers with their shipment histories, pushed as one batch the way the ERP does.
    static func seed(_ api: APIHarness, dealers: [(code: String, status: String)], entries: [Entry]) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (index, dealer) in dealers.enumerated() {
            let created = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(code: dealer.code, name: "Дилер \(dealer.code)", taxID: KnownINN.organisations[index]))
            let id = try #require(created.json["id"]?.stringValue, "\(created.text)")
            try await api.bring(id, to: dealer.status)
            ids[dealer.code] = id
        }
        let lines = entries.enumerated().map { index, entry in
            #"{"dealer_code": "\#(entry.code)", "external_id": "E-\#(index)", "kind": "\#(entry.kind)", "document_number": "\#(index)", "document_date": "\#(entry.date)", "amount": "\#(entry.amount)"}"#
        }
        let batch = try await api.call(.post, "/v1/ledger/batch", as: .integration, json: #"{"entries": [\#(lines.joined(separator: ","))]}"#)
        #expect(batch.status == .ok || batch.status == .created, "\(batch.text)")
        return ids
    }

    static func every(_ days: Int, from start: String, count: Int, code: String, amount: String = "100000.00") -> [Entry] {
        let first = CivilDate(parsing: start)!
        return (0..<count).map { Entry(code: code, kind: "shipment", date: first.adding(days: $0 * days).iso, amount: amount) }
    }

    @Test(arguments: Backend.available)
    func theMorningListShowsWhoBrokeRhythmAndHowEachDealerIsDoing(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.start)) { api in
            let entries =
                Self.every(14, from: "2026-07-03", count: 11, code: "R-1")  // last 2026-11-20: on rhythm
                + Self.every(10, from: "2026-08-01", count: 10, code: "R-2")  // last 2026-10-30: 26 days, late
                + [Entry(code: "R-3", kind: "shipment", date: "2026-11-01", amount: "5000.00")]  // one shipment: learning
                + Self.every(7, from: "2026-06-01", count: 10, code: "R-5")  // suspended: not reported
            let ids = try await Self.seed(
                api, dealers: [("R-1", "accredited"), ("R-2", "accredited"), ("R-3", "accredited"), ("R-5", "suspended")], entries: entries)

            let one = try await api.call(.get, "/v1/dealers/\(ids["R-1"]!)/rhythm", as: .viewer)
            #expect(one.status == .ok)
            #expect(one.json["status"] == .string("on_rhythm") && one.json["expected_interval_days"] == .number(14))
            #expect(one.json["interval_source"] == .string("learned") && one.json["regularity"] == .number(1))
            #expect(one.json["last_shipment"] == .string("2026-11-20") && one.json["next_expected"] == .string("2026-12-04"))
            #expect(one.json["recent_intervals"]?.array.count == 10)

            let late = try await api.call(.get, "/v1/rhythm?status=late", as: .manager)
            #expect(late.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["R-2"])
            #expect(late.json["items"]?.array.first?["days_late"] == .number(16))
            let all = try await api.call(.get, "/v1/rhythm", as: .manager)
            #expect(
                all.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["R-2", "R-1", "R-3"], "most days late first; no suspended dealer")
            #expect(all.json["items"]?.array.last?["status"] == .string("learning"))
            // A page at a time (R-1 and R-3 are both 0 days late: by code), the last page without a cursor.
            var paged: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/v1/rhythm?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), as: .manager).json
                paged += page["items"]?.array.compactMap { $0["code"]?.stringValue } ?? []
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil && paged.count < 10
            #expect(paged == ["R-2", "R-1", "R-3"])
            #expect(try await api.call(.get, "/v1/rhythm?cursor=eyJ4IjoxfQ", as: .manager).status == .unprocessableContent)

            // The manager agrees a 30-day cadence with R-2: back on rhythm; null learns it again.
            let set = try await api.call(.put, "/v1/dealers/\(ids["R-2"]!)/rhythm", as: .manager, json: #"{"interval_days": 30}"#)
            #expect(set.json["status"] == .string("on_rhythm") && set.json["interval_source"] == .string("dealer"))
            let cleared = try await api.call(.put, "/v1/dealers/\(ids["R-2"]!)/rhythm", as: .manager, json: #"{"interval_days": null}"#)
            #expect(cleared.json["status"] == .string("late") && cleared.json["interval_source"] == .string("learned"))
            #expect(try await api.call(.put, "/v1/dealers/\(ids["R-2"]!)/rhythm", as: .manager, json: "{}").status == .unprocessableContent)
            #expect(
                try await api.call(.put, "/v1/dealers/\(ids["R-2"]!)/rhythm", as: .manager, json: #"{"interval_days": 0}"#).status
                    == .unprocessableContent)
            #expect(try await api.call(.put, "/v1/dealers/\(ids["R-2"]!)/rhythm", as: .viewer, json: #"{"interval_days": 7}"#).status == .forbidden)
            #expect(try await api.call(.get, "/v1/rhythm?status=sleepy").status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/dealers/\(UUID().lowercased)/rhythm").status == .notFound)
        }
    }

    @Test(arguments: Backend.available)
    func plansAgainstFactWithGrowthForecastAndAnIndependentSum(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.start)) { api in
            let anna = try await api.call(
                .post, "/v1/managers", as: .manager, json: #"{"name": "Анна", "email": "anna@example.ru", "role": "existing_clients"}"#)
            let annaID = try #require(anna.json["id"]?.stringValue)
            let entries = [
                // P-1: October 2025 and 2026, and the running November.
                Entry(code: "P-1", kind: "shipment", date: "2025-10-15", amount: "800000.00"),
                Entry(code: "P-1", kind: "shipment", date: "2026-10-01", amount: "600000.00"),
                Entry(code: "P-1", kind: "shipment", date: "2026-10-31", amount: "450000.00"),
                Entry(code: "P-1", kind: "return", date: "2026-10-31", amount: "50000.00"),
                Entry(code: "P-1", kind: "payment", date: "2026-10-20", amount: "999999.00"),
                Entry(code: "P-1", kind: "shipment", date: "2026-11-01", amount: "500000.00"),
                Entry(code: "P-1", kind: "shipment", date: "2026-11-30", amount: "700000.00"),  // after today: counts by its date
                // P-2: everything returned.
                Entry(code: "P-2", kind: "shipment", date: "2026-10-05", amount: "300000.00"),
                Entry(code: "P-2", kind: "return", date: "2026-10-09", amount: "300000.00"),
                // December 2025 and January 2026 across the year end.
                Entry(code: "P-1", kind: "shipment", date: "2025-12-31", amount: "10.00"),
                Entry(code: "P-1", kind: "shipment", date: "2026-01-01", amount: "20.00"),
            ]
            let ids = try await Self.seed(api, dealers: [("P-1", "accredited"), ("P-2", "accredited"), ("P-3", "accredited")], entries: entries)
            _ = try await api.call(.patch, "/v1/dealers/\(ids["P-1"]!)", as: .manager, json: #"{"manager_id": "\#(annaID)"}"#)

            let put = try await api.call(
                .put, "/v1/dealers/\(ids["P-1"]!)/plans/2026-10", as: .manager, json: #"{"amount": "1000000.00", "quantity": "12"}"#)
            #expect(put.status == .ok && put.json["amount"] == .string("1000000.00") && put.json["period"] == .string("2026-10"))
            // The yearly sheet for every dealer at once (November for P-1, October for P-2 and P-3).
            let sheet = "Код дилера;2026-10;2026-11\nP-1;;\"2 000 000,00\"\nP-2;500000;\nP-3;250000,00;\n"
            let dry = try await api.call(
                .post, "/v1/plans/import?dry_run=true", as: .manager, json: nil, headers: [.contentType: "text/csv"], body: sheet)
            #expect(dry.status == .ok && dry.json["stored"] == .number(0) && dry.json["dealers"] == .number(3))
            let bad = try await api.call(
                .post, "/v1/plans/import", as: .manager, json: nil, headers: [.contentType: "text/csv"], body: sheet + "P-9;1;\nP-8;много;\n")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue } == ["line 5: dealer_code", "line 6: amount"])
            let imported = try await api.call(.post, "/v1/plans/import", as: .manager, json: nil, headers: [.contentType: "text/csv"], body: sheet)
            #expect(imported.json["stored"] == .number(3))
            let plans = try await api.call(.get, "/v1/dealers/\(ids["P-1"]!)/plans?year=2026", as: .viewer)
            #expect(plans.json["items"]?.array.compactMap { $0["period"]?.stringValue } == ["2026-10", "2026-11"])
            #expect(plans.json["items"]?.array.first?["quantity"] == .string("12"), "the import left October's plan alone")

            let october = try await api.call(.get, "/v1/plans/fulfillment?period=2026-10&group_by=dealer", as: .accountant)
            #expect(october.status == .ok && october.json["running"] == .bool(false))
            let lines = october.json["lines"]?.array ?? []
            let p1 = try #require(lines.first { $0["name"] == .string("P-1 Дилер P-1") })
            // 600,000 + 450,000 − 50,000 (the payment is not a sale): 1,000,000 of 1,000,000.
            #expect(p1["plan"] == .string("1000000.00") && p1["fact"] == .string("1000000.00") && p1["fulfillment_percent"] == .number(100))
            #expect(p1["year_earlier"] == .string("800000.00") && p1["growth_percent"] == .number(25) && p1["forecast"] == .null)
            let p2 = try #require(lines.first { $0["name"] == .string("P-2 Дилер P-2") })
            #expect(p2["fact"] == .string("0.00") && p2["fulfillment_percent"] == .number(0), "all returned")
            let p3 = try #require(lines.first { $0["name"] == .string("P-3 Дилер P-3") })
            #expect(p3["plan"] == .string("250000.00") && p3["fact"] == .string("0.00"), "a plan and no shipments")
            #expect(october.json["total"]?["plan"] == .string("1750000.00") && october.json["total"]?["dealers"] == .number(3))

            // The fact equals an independent sum of the period's entries.
            let independent = try await api.database.withStore { store in
                try await store.database.read { sql in
                    var total: Int64 = 0
                    for row in try await sql.raw(
                        "SELECT kind, amount_minor FROM ledger_entries WHERE document_date BETWEEN '2026-10-01' AND '2026-10-31'"
                    ).all() {
                        let amount = try row.decode(column: "amount_minor", as: Int64.self)
                        switch try row.decode(column: "kind", as: String.self) {
                        case "shipment": total += amount
                        case "return": total -= amount
                        default: break
                        }
                    }
                    return total
                }
            }
            #expect(october.json["total"]?["fact"] == .string(Money(minorUnits: independent, currency: .rub).decimalString))

            // November runs: 25 of 30 days gone; fact so far counts documents dated up to the period's end.
            let november = try await api.call(.get, "/v1/plans/fulfillment?period=2026-11&group_by=manager", as: .viewer)
            #expect(november.json["running"] == .bool(true))
            let annaLine = try #require(november.json["lines"]?.array.first { $0["name"] == .string("Анна") })
            #expect(annaLine["plan"] == .string("2000000.00") && annaLine["fact"] == .string("1200000.00"))
            #expect(annaLine["forecast"] == .string("1440000.00") && annaLine["forecast_percent"] == .number(72))
            // A quarter and a year; the year end splits December 2025 from January 2026.
            let q4 = try await api.call(.get, "/v1/plans/fulfillment?period=2026-Q4&group_by=region", as: .viewer)
            #expect(q4.json["total"]?["plan"] == .string("3750000.00") && q4.json["lines"]?.array.first?["key"] == .string("Москва"))
            let year2025 = try await api.call(.get, "/v1/plans/fulfillment?period=2025", as: .viewer)
            #expect(year2025.json["total"]?["fact"] == .string("800010.00"))
            let january = try await api.call(.get, "/v1/plans/fulfillment?period=2026-01&group_by=segment", as: .viewer)
            #expect(january.json["total"]?["fact"] == .string("20.00") && january.json["total"]?["year_earlier"] == .string("0.00"))

            #expect(try await api.call(.get, "/v1/plans/fulfillment?period=2026-13").status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/plans/fulfillment?group_by=planet").status == .unprocessableContent)
            #expect(
                try await api.call(.put, "/v1/dealers/\(ids["P-1"]!)/plans/2026-Q4", as: .manager, json: #"{"amount": "1"}"#).status
                    == .unprocessableContent)
            #expect(
                try await api.call(.put, "/v1/dealers/\(ids["P-1"]!)/plans/2026-10", as: .manager, json: #"{"amount": "-1"}"#).status
                    == .unprocessableContent)
            #expect(
                try await api.call(.put, "/v1/dealers/\(ids["P-1"]!)/plans/2026-10", as: .integration, json: #"{"amount": "1"}"#).status == .forbidden
            )
        }
    }

    @Test(arguments: Backend.available)
    func theDailyCheckAlertsOncePerTransitionAndWhenTheMonthFallsBehindPlan(_ backend: Backend) async throws {
        let clock = TestClock(Self.start)
        try await APIHarness.run(backend, configure: { $0.scheduler.pollInterval = 0.05 }, clock: clock) { api in
            let ids = try await Self.seed(
                api, dealers: [("J-1", "accredited")], entries: Self.every(10, from: "2026-08-01", count: 10, code: "J-1"))  // last 2026-10-30
            _ = try await api.call(.put, "/v1/dealers/\(ids["J-1"]!)/plans/2026-11", as: .manager, json: #"{"amount": "1000000"}"#)
            func run(_ asOf: String) async throws {
                let requested = try await api.call(.post, "/v1/jobs/rhythm-check/run", as: .manager, json: #"{"as_of": "\#(asOf)"}"#)
                let location = try #require(requested.headers[.location])
                var status = requested.json["status"]
                for _ in 0..<200 where status != .string("succeeded") && status != .string("failed") {
                    try await Task.sleep(for: .milliseconds(50))
                    status = try await api.call(.get, location, as: .viewer).json["status"]
                }
                #expect(status == .string("succeeded"))
            }
            func events(_ type: String) async throws -> [JSONValue] {
                try await api.call(.get, "/v1/events?type=\(type)&dealer_id=\(ids["J-1"]!)", as: .integration).json["items"]?.array ?? []
            }
            // 2026-11-04: 5 days since the last shipment, on rhythm; nothing behind yet (too early in the month).
            try await run("2026-11-04T06:00:00+03:00")
            #expect(try await events("rhythm.late").isEmpty)
            #expect(try await events("plan.behind").isEmpty)
            // 2026-11-25: late, and the month (nothing shipped) is behind plan; again the same day adds nothing.
            try await run("2026-11-25T06:00:00+03:00")
            try await run("2026-11-25T18:00:00+03:00")
            let late = try await events("rhythm.late")
            #expect(late.count == 1 && late.first?["data"]?["days_late"] == .number(16) && late.first?["data"]?["status"] == .string("late"))
            let behind = try await events("plan.behind")
            #expect(
                behind.count == 1 && behind.first?["data"]?["period"] == .string("2026-11") && behind.first?["data"]?["forecast"] == .string("0.00"))
            // Later still broken: the same lateness, no second event.
            clock.advance(by: 10 * 86400)
            try await run("2026-12-05T06:00:00+03:00")
            #expect(try await events("rhythm.late").count == 1)
            #expect(try await api.call(.get, "/v1/dealers/\(ids["J-1"]!)/rhythm").json["status"] == .string("broken"))
            // A shipment: restored, once.
            clock.advance(by: 86400)
            _ = try await api.call(
                .post, "/v1/dealers/\(ids["J-1"]!)/ledger", as: .integration,
                json: #"{"external_id": "J-NEW", "kind": "shipment", "document_number": "N", "document_date": "2026-12-06", "amount": "1000"}"#)
            try await run("2026-12-07T06:00:00+03:00")
            try await run("2026-12-08T06:00:00+03:00")
            let restored = try await events("rhythm.restored")
            #expect(restored.count == 1 && restored.first?["data"]?["status"] == .string("on_rhythm"))
        }
    }
}
