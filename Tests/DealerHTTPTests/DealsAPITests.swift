import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The sales funnel as the CRM feeds it and the head of sales reads it: deals pushed one by one
/// and in batches (idempotent by the CRM's id), their won/lost events, the funnel per manager and
/// period computed by hand below, a manager key kept to its own deals, and the stall job.
@Suite("Deals and the sales funnel through the API")
struct DealsAPITests {
    /// 2026-11-20 12:00 in Moscow.
    static let today = Date(timeIntervalSince1970: 1_795_165_200)

    static func department(_ store: Store) async throws -> [String: String] {
        var keys: [String: String] = [:]
        for (name, email, role) in [
            ("Анна Петрова", "anna@example.ru", SalesRole.existingClients), ("Борис Орлов", "boris@example.ru", .newClients),
            ("Вера Соколова", "vera@example.ru", .head),
        ] {
            let manager = try await store.createManager(ManagerDraft(name: name, email: email, role: role), by: .cli)
            keys[email] = try await store.createAPIKey(name: "key-\(email)", role: .manager, manager: email, by: .cli).secret
            keys["id-" + email] = manager.id.lowercased
        }
        _ = try await store.createDealer(.sample(code: "D-1", managerID: UUID(uuidString: keys["id-anna@example.ru"] ?? "")), by: testActor)
        return keys
    }

    static func deal(
        _ id: String, dealer: String? = "D-1", prospect: String? = nil, manager: String = "anna@example.ru", amount: String, stage: String,
        status: String = "open", opened: String, closed: String? = nil, reason: String? = nil
    ) -> String {
        var fields = [
            #""external_id": "\#(id)""#, #""manager": "\#(manager)""#, #""amount": "\#(amount)""#, #""stage": "\#(stage)""#,
            #""status": "\#(status)""#, #""opened_on": "\#(opened)""#,
        ]
        if let dealer { fields.append(#""dealer_code": "\#(dealer)""#) }
        if let prospect { fields.append(#""prospect": "\#(prospect)""#) }
        if let closed { fields.append(#""closed_on": "\#(closed)""#) }
        if let reason { fields.append(#""reason": "\#(reason)""#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    @Test(arguments: Backend.available)
    func theCRMsDealsMakeTheFunnelEachManagerSeesHisOwnAndStalledDealsAreFlaggedOnce(_ backend: Backend) async throws {
        let clock = TestClock(Self.today)
        try await APIHarness.run(backend, configure: { $0.scheduler.pollInterval = 0.05 }, clock: clock, prepare: Self.department) {
            api in
            func key(_ email: String) -> HTTPFields { api.bearer(email) }
            let anna = api.namedKeys["id-anna@example.ru"] ?? ""

            // One deal: stored, sent again unchanged, then moved a stage on.
            let first = try await api.call(
                .post, "/v1/deals", as: .integration, json: Self.deal("CRM-1", amount: "1000000.00", stage: "proposal", opened: "2026-11-02"))
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["outcome"] == .string("created") && first.json["deal"]?["stage_title"] == .string("Коммерческое предложение"))
            #expect(first.json["deal"]?["manager_id"] == .string(anna) && first.json["deal"]?["days_at_stage"] == .number(0))
            let again = try await api.call(
                .post, "/v1/deals", as: .integration, json: Self.deal("CRM-1", amount: "1000000.00", stage: "proposal", opened: "2026-11-02"))
            #expect(again.status == .ok && again.json["outcome"] == .string("unchanged") && again.json["deal"]?["version"] == .number(1))
            let moved = try await api.call(
                .post, "/v1/deals", as: .integration,
                json: Self.deal("CRM-1", amount: "1000000.00", stage: "negotiation", opened: "02.11.2026"))
            #expect(moved.json["outcome"] == .string("updated") && moved.json["deal"]?["version"] == .number(2), "\(moved.text)")
            #expect(moved.json["deal"]?["stage_since"] == .string("2026-11-20"))
            let dealID = try #require(moved.json["deal"]?["id"]?.stringValue)

            // A batch with a mistake in three deals stores none of them, and names each field.
            let bad = try await api.call(
                .post, "/v1/deals/batch", as: .integration,
                json: #"{"deals": ["#
                    + [
                        Self.deal("CRM-9", amount: "5", stage: "meeting", opened: "2026-11-01"),
                        Self.deal("CRM-10", amount: "5", stage: "lead", status: "lost", opened: "2026-11-01", closed: "2026-11-02"),
                        Self.deal("CRM-11", manager: "nobody@example.ru", amount: "5", stage: "lead", opened: "2026-11-01"),
                    ].joined(separator: ", ") + "]}")
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            let named = Set((bad.json["invalid_params"]?.array ?? []).compactMap { $0["name"]?.stringValue })
            #expect(named == ["deals[0].stage", "deals[1].reason", "deals[2].manager"], "\(bad.text)")
            let batch = try await api.call(
                .post, "/v1/deals/batch", as: .integration,
                json: #"{"deals": ["#
                    + [
                        Self.deal(
                            "CRM-2", dealer: nil, prospect: "ООО «Вектор»", manager: "boris@example.ru", amount: "500000", stage: "lead",
                            opened: "2026-11-05"),
                        Self.deal(
                            "CRM-3", amount: "2000000.00", stage: "contract", status: "won", opened: "2026-10-01", closed: "2026-11-10"),
                        Self.deal(
                            "CRM-4", amount: "300000.00", stage: "qualified", status: "lost", opened: "2026-11-03", closed: "2026-11-15",
                            reason: "выбрали конкурента"),
                        Self.deal(
                            "CRM-5", amount: "1000000.00", stage: "contract", status: "won", opened: "2026-11-01", closed: "2026-11-11"),
                    ].joined(separator: ", ") + "]}")
            #expect(batch.status == .ok, "\(batch.text)")
            #expect(batch.json["created"] == .number(4) && batch.json["updated"] == .number(0))
            let all = try await api.call(.get, "/v1/deals?limit=500", as: .viewer).json["items"]?.array ?? []
            #expect(all.count == 5, "the refused batch left nothing behind")

            let won = try await api.call(.get, "/v1/events?type=deal.won", as: .integration).json["items"]?.array ?? []
            #expect(won.compactMap { $0["data"]?["external_id"]?.stringValue }.sorted() == ["CRM-3", "CRM-5"])
            #expect(won.first { $0["data"]?["external_id"] == .string("CRM-3") }?["data"]?["days_to_close"] == .number(40))
            let lost = try await api.call(.get, "/v1/events?type=deal.lost", as: .integration).json["items"]?.array ?? []
            #expect(lost.count == 1 && lost.first?["data"]?["reason"] == .string("выбрали конкурента"))

            // Анна's November, by hand. In work on the 20th: CRM-1 at negotiation, 1 000 000. Opened
            // in November: CRM-1 (negotiation), CRM-4 (lost at qualified), CRM-5 (won): all three got
            // to lead and qualified, two to proposal and negotiation, one to contract and the win.
            // Closed in November: CRM-3 and CRM-5 won (40 and 10 days), CRM-4 lost.
            let funnel = try await api.call(.get, "/v1/funnel?period=2026-11", as: nil, headers: key("anna@example.ru"))
            #expect(funnel.status == .ok, "\(funnel.text)")
            let json = funnel.json
            #expect(json["manager_id"] == .string(anna) && json["end"] == .string("2026-11-20"))
            #expect(json["in_work"] == .number(1) && json["in_work_amount"] == .string("1000000.00") && json["opened"] == .number(3))
            let stages = json["stages"]?.array ?? []
            #expect(stages.map { $0["key"]?.stringValue ?? "" } == ["lead", "qualified", "proposal", "negotiation", "contract"])
            #expect(stages.map { $0["reached"] } == [3, 3, 2, 2, 1].map { JSONValue.number(Decimal($0)) })
            #expect(
                stages.map { $0["conversion_percent"] }
                    == [.number(100), .number(Decimal(string: "66.7")!), .number(100), .number(50), .number(100)])
            #expect(stages[3]["in_work"] == .number(1) && stages[3]["title"] == .string("Переговоры"))
            #expect(json["won"] == .number(2) && json["won_amount"] == .string("3000000.00") && json["lost"] == .number(1))
            #expect(json["win_rate_percent"] == .number(Decimal(string: "66.7")!) && json["average_deal"] == .string("1500000.00"))
            #expect(json["median_days_to_close"] == .number(25))
            #expect(json["lost_reasons"]?.array.first?["reason"] == .string("выбрали конкурента"))
            let byAdmin = try await api.call(.get, "/v1/funnel?period=2026-11&manager=anna@example.ru").json
            #expect(byAdmin["won_amount"] == json["won_amount"] && byAdmin["stages"] == json["stages"])
            // The department (the head's key): Борис's prospect too.
            let department = try await api.call(.get, "/v1/funnel?period=2026-11", as: nil, headers: key("vera@example.ru")).json
            #expect(department["manager_id"] == .null && department["in_work"] == .number(2) && department["opened"] == .number(4))
            #expect(department["in_work_amount"] == .string("1500000.00"))

            // Борис sees his own deal only, and nothing of Анна's.
            let his = try await api.call(.get, "/v1/deals", as: nil, headers: key("boris@example.ru")).json["items"]?.array ?? []
            #expect(his.map { $0["external_id"] } == [.string("CRM-2")] && his.first?["prospect"] == .string("ООО «Вектор»"))
            #expect(try await api.call(.get, "/v1/deals/\(dealID)", as: nil, headers: key("boris@example.ru")).status == .notFound)
            #expect(try await api.call(.get, "/v1/deals/\(dealID)", as: nil, headers: key("vera@example.ru")).status == .ok)
            let peek = try await api.call(.get, "/v1/funnel?manager=anna@example.ru", as: nil, headers: key("boris@example.ru"))
            #expect(peek.status == .forbidden)
            #expect(
                try await api.call(.post, "/v1/deals", as: .manager, json: Self.deal("X", amount: "1", stage: "lead", opened: "2026-11-01")).status
                    == .forbidden)
            #expect(try await api.call(.get, "/v1/funnel?period=2026-13").json["invalid_params"]?.array.first?["name"] == .string("period"))
            #expect(try await api.call(.get, "/v1/deals?status=pending").status == .unprocessableContent)

            // Fifteen days on, CRM-1 (negotiation since 20.11) and CRM-2 (lead since 20.11) have sat
            // at their stages past deals.stall_days (14): one deal.stalled each, however often the job runs.
            clock.advance(by: 15 * 86400)
            try await Self.runJob(api)
            try await Self.runJob(api)
            let stalled = try await api.call(.get, "/v1/events?type=deal.stalled", as: .integration).json["items"]?.array ?? []
            #expect(stalled.compactMap { $0["data"]?["external_id"]?.stringValue }.sorted() == ["CRM-1", "CRM-2"], "\(stalled)")
            let crm1 = stalled.first { $0["data"]?["external_id"] == .string("CRM-1") }?["data"]
            #expect(crm1?["stage_title"] == .string("Переговоры") && crm1?["days"] == .number(15) && crm1?["since"] == .string("2026-11-20"))
        }
    }

    static func runJob(_ api: APIHarness) async throws {
        let requested = try await api.call(.post, "/v1/jobs/deal-stall/run", as: .admin, json: "{}")
        let location = try #require(requested.headers[.location], "\(requested.text)")
        var run = requested.json
        for _ in 0..<400 where run["status"] != .string("succeeded") && run["status"] != .string("failed") {
            try await Task.sleep(for: .milliseconds(50))
            run = try await api.call(.get, location, as: .viewer).json
        }
        #expect(run["status"] == .string("succeeded"), "\(run)")
    }
}
