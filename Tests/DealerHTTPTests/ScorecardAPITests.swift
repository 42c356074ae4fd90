import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The README's worked example: three managers, December 2026 on its 20th day, the shipped schemes
/// (`Config/kpi`). Every figure below was computed by hand from the documents the test pushes.
@Suite("KPI scorecards and the bonus through the API")
struct ScorecardAPITests {
    /// 2026-12-20 12:00 in Moscow: December runs, 20 of its 31 days have begun.
    static let today = Date(timeIntervalSince1970: 1_797_757_200)

    /// Managers and their keys are made before the server starts, as an operator makes them.
    static func department(_ store: Store) async throws -> [String: String] {
        var keys: [String: String] = [:]
        for (name, email, role) in [
            ("Анна Петрова", "anna@example.ru", SalesRole.existingClients), ("Борис Орлов", "boris@example.ru", .newClients),
            ("Вера Соколова", "vera@example.ru", .head),
        ] {
            _ = try await store.createManager(ManagerDraft(name: name, email: email, role: role), by: .cli)
            keys[email] = try await store.createAPIKey(name: "key-\(email)", role: .manager, manager: email, by: .cli).secret
        }
        return keys
    }

    static func seed(_ api: APIHarness) async throws -> [String: String] {
        let managers = try await api.call(.get, "/v1/managers").json["items"]?.array ?? []
        var ids: [String: String] = [:]
        for manager in managers { ids[manager["email"]?.stringValue ?? ""] = manager["id"]?.stringValue }
        let anna = try #require(ids["anna@example.ru"])
        let boris = try #require(ids["boris@example.ru"])

        func dealer(_ code: String, index: Int, manager: String, applicant: Bool = false) async throws -> String {
            let extra =
                #""manager_id": "\#(manager)""#
                + (applicant ? ", " + AccreditationDecisionAPITests.fullAttributes + #", "status": "applicant""# : "")
            let created = try await api.call(
                .post, "/v1/dealers", json: dealerJSON(code: code, name: "Дилер \(code)", taxID: KnownINN.organisations[index], extra: extra))
            return try #require(created.json["id"]?.stringValue, "\(created.text)")
        }
        func policy(_ dealer: String, limit: String) async throws {
            let set = try await api.call(
                .put, "/v1/dealers/\(dealer)/credit-policy", as: .accountant, json: #"{"limit": "\#(limit)", "reason": "договор"}"#)
            #expect(set.status == .ok, "\(set.text)")
        }
        func document(_ dealer: String, _ id: String, _ kind: String, _ date: String, _ amount: String) async throws {
            let posted = try await api.call(
                .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                json:
                    #"{"external_id": "\#(id)", "kind": "\#(kind)", "document_number": "\#(id)", "document_date": "\#(date)", "amount": "\#(amount)"}"#
            )
            #expect(posted.status == .created, "\(posted.text)")
        }
        func plan(_ dealer: String, _ amount: String) async throws {
            #expect(try await api.call(.put, "/v1/dealers/\(dealer)/plans/2026-12", json: #"{"amount": "\#(amount)"}"#).status == .ok)
        }

        // Анна: A-1 within its limit with 500 000 overdue, A-2 over its limit.
        let a1 = try await dealer("A-1", index: 0, manager: anna)
        let a2 = try await dealer("A-2", index: 1, manager: anna)
        try await policy(a1, limit: "5000000")
        try await policy(a2, limit: "1000000")
        try await document(a1, "РН-1", "shipment", "2026-11-15", "2000000.00")
        try await document(a1, "РН-2", "shipment", "2026-12-10", "4000000.00")
        try await document(a1, "ПП-1", "payment", "2026-12-18", "1500000.00")
        try await document(a2, "РН-3", "shipment", "2026-12-05", "1200000.00")
        try await plan(a1, "5000000")
        try await plan(a2, "2000000")

        // Борис: B-1 accredited by the head of sales' override, B-2 by the profile itself.
        let b1 = try await dealer("B-1", index: 2, manager: boris)
        try await api.accredit(b1)
        try await document(b1, "РН-4", "shipment", "2026-12-12", "1000000.00")
        let b2 = try await dealer("B-2", index: 3, manager: boris, applicant: true)
        for kind in ["registration_extract", "bank_reference", "dealer_agreement"] {
            #expect(
                try await api.call(.post, "/v1/dealers/\(b2)/documents", json: #"{"kind": "\#(kind)", "expires": "2099-01-01"}"#).status
                    == .created)
        }
        try await document(b2, "РН-5", "shipment", "2026-06-01", "1000.00")
        try await document(b2, "ПП-5", "payment", "2026-06-20", "1000.00")
        let decided = try await api.call(.post, "/v1/dealers/\(b2)/accreditations", json: #"{"profile": "standard"}"#)
        #expect(decided.json["decision"] == .string("accredited") && decided.json["overridden"] == .bool(false), "\(decided.text)")
        return ids
    }

    static func kpi(_ card: JSONValue, _ name: String) -> JSONValue? {
        card["kpis"]?.array.first { $0["kpi"] == .string(name) }
    }

    @Test(arguments: Backend.available)
    func theHeadOfSalesRanksTheDepartmentAndEachManagerSeesWhatHeEarned(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let ids = try await Self.seed(api)
            let anna = try #require(ids["anna@example.ru"])

            // Анна: sales 5 200 000 of a 15 000 000 target (34.7 %, under the 70 % threshold: 0);
            // plan 5 200 000 of 7 000 000 (74.3 %, under 80 %: 0); payments 1 500 000 of 2 000 000 owed
            // on 1 December (75 %, 83.3 % of 90: 12.50 points); overdue 500 000 of 5 700 000 (8.8 %,
            // 10 ÷ 8.8 = 113.6 %: 17.04 points). 29.54 points, but A-2 is over its limit: 1 of 2
            // dealers within it is 50 %, under the knock-out's 70 %, so no bonus.
            let card = try await api.call(.get, "/v1/managers/\(anna)/scorecard?period=2026-12", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(card.status == .ok, "\(card.text)")
            let json = card.json
            #expect(json["running"] == .bool(true) && json["dealers"] == .number(2) && json["period"] == .string("2026-12"))
            #expect(Self.kpi(json, "sales_volume")?["fact"] == .number(5_200_000) && Self.kpi(json, "sales_volume")?["points"] == .number(0))
            #expect(Self.kpi(json, "plan_fulfilment")?["fact"] == .number(Decimal(string: "74.3")!))
            #expect(Self.kpi(json, "payments_to_receivables")?["fact"] == .number(75))
            #expect(Self.kpi(json, "payments_to_receivables")?["achievement_percent"] == .number(Decimal(string: "83.3")!))
            #expect(Self.kpi(json, "payments_to_receivables")?["points"] == .number(Decimal(string: "12.5")!))
            #expect(Self.kpi(json, "overdue_share")?["fact"] == .number(Decimal(string: "8.8")!))
            #expect(Self.kpi(json, "overdue_share")?["points"] == .number(Decimal(string: "17.04")!))
            #expect(json["points"] == .number(Decimal(string: "29.54")!))
            #expect(json["knocked_out"] == .bool(true) && json["bonus"] == .string("0.00") && json["bonus_base"] == .string("60000.00"))
            // One more dealer within its limit lifts the knock-out: 60 000 × 29.54 % = 17 724.
            let lift = json["lifts"]?.array.first
            #expect(lift?["kpi"] == .string("within_limit_share") && lift?["more_dealers"] == .number(1))
            #expect(lift?["gain"] == .string("17724.00"))
            #expect(lift?["text"] == .string("Дилеры в пределах лимита: ещё 1 дилер — +17\u{00A0}724,00 ₽"))
            // At the run rate (× 31/20) the plan is beaten, the knock-out still holds the bonus back.
            #expect(json["forecast"]?["knocked_out"] == .bool(true) && json["forecast"]?["bonus"] == .string("0.00"))

            // The ranking, best first. Борис: 2 new dealers of 2 (30 points), 1 of them by the
            // profile (50 %: 15 points), new partners' sales 1 000 000 of 3 000 000 (33.3 %, under
            // 50 %: 0): 45 points, 22 500. Вера, the head: the department's plan 6 200 000 of
            // 7 000 000 (88.6 %: 22.15 points), overdue 7.5 % within the 20 % knock-out: 26 580.
            let ranking = try await api.call(.get, "/v1/scorecards?period=2026-12", as: nil, headers: api.bearer("vera@example.ru"))
            #expect(ranking.status == .ok, "\(ranking.text)")
            let items = ranking.json["items"]?.array ?? []
            #expect(items.map { $0["manager"]?["email"] } == ["boris@example.ru", "anna@example.ru", "vera@example.ru"].map(JSONValue.string))
            #expect(items.map { $0["rank"] } == [1, 2, 3].map { JSONValue.number(Decimal($0)) })
            #expect(items.map { $0["points"] } == ["45", "29.54", "22.15"].map { JSONValue.number(Decimal(string: $0)!) })
            #expect(items.map { $0["bonus"] } == ["22500.00", "0.00", "26580.00"].map(JSONValue.string))
            #expect(ranking.json["bonus_total"] == .string("49080.00"))
            let boris = items[0]
            #expect(Self.kpi(boris, "new_dealers")?["fact"] == .number(2) && Self.kpi(boris, "profile_compliance")?["fact"] == .number(50))
            #expect(Self.kpi(boris, "profile_compliance")?["count"] == .number(1) && Self.kpi(boris, "profile_compliance")?["of"] == .number(2))
            // At the run rate B-1 ships 1 550 000 (51.7 % of the target, over the threshold): 65.68 points.
            #expect(boris["forecast"]?["points"] == .number(Decimal(string: "65.68")!) && boris["forecast"]?["bonus"] == .string("32840.00"))
            let vera = items[2]
            #expect(Self.kpi(vera, "sales_per_manager")?["fact"] == .number(3_100_000))
            #expect(Self.kpi(vera, "growth")?["fact"] == .null, "nothing was shipped a year earlier")

            // The accountant, who pays the bonus, reads every card; an admin too.
            #expect(try await api.call(.get, "/v1/scorecards?period=2026-12", as: .accountant).status == .ok)
            #expect(try await api.call(.get, "/v1/managers/\(anna)/scorecard?period=2026-12", as: .admin).status == .ok)
        }
    }

    @Test(arguments: Backend.available)
    func aManagerReadsHisOwnScorecardOnly(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let ids = try await Self.seed(api)
            let anna = try #require(ids["anna@example.ru"])
            let boris = try #require(ids["boris@example.ru"])
            let annaKey = api.bearer("anna@example.ru")
            let other = try await api.call(.get, "/v1/managers/\(boris)/scorecard", as: nil, headers: annaKey)
            #expect(other.status == .forbidden && other.text.contains("his own scorecard"), "\(other.text)")
            #expect(try await api.call(.get, "/v1/scorecards", as: nil, headers: annaKey).status == .forbidden)
            #expect(try await api.call(.get, "/v1/managers/\(anna)/scorecard", as: nil, headers: annaKey).status == .ok)
            // The head of sales reads anyone's; an unbound manager key and a viewer read none.
            #expect(try await api.call(.get, "/v1/managers/\(anna)/scorecard", as: nil, headers: api.bearer("vera@example.ru")).status == .ok)
            #expect(try await api.call(.get, "/v1/managers/\(anna)/scorecard", as: .manager).status == .forbidden)
            #expect(try await api.call(.get, "/v1/scorecards", as: .viewer).status == .forbidden)
            // Without a period the running month is meant; a bad one names the field.
            #expect(try await api.call(.get, "/v1/scorecards").json["period"] == .string("2026-12"))
            let bad = try await api.call(.get, "/v1/scorecards?period=2026-13")
            #expect(bad.status == .unprocessableContent && bad.json["invalid_params"]?.array.first?["name"] == .string("period"))
            #expect(try await api.call(.get, "/v1/managers/\(UUID().uuidString)/scorecard").status == .notFound)
        }
    }

    @Test(arguments: Backend.available)
    func theHeadOfSalesSetsAManagersOwnTargets(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let ids = try await Self.seed(api)
            let anna = try #require(ids["anna@example.ru"])
            let path = "/v1/managers/\(anna)/kpi-targets/2026-12"
            // Анна may read her targets but not set them.
            let own = try await api.call(.put, path, as: nil, json: #"{"targets": {"sales_volume": "1"}}"#, headers: api.bearer("anna@example.ru"))
            #expect(own.status == .forbidden, "\(own.text)")
            let bad = try await api.call(
                .put, path, as: nil, json: #"{"targets": {"sales_volum": "5000000", "overdue_share": "0", "new_dealers": "1,5"}}"#,
                headers: api.bearer("vera@example.ru"))
            #expect(bad.status == .unprocessableContent)
            let named = Set((bad.json["invalid_params"]?.array ?? []).compactMap { $0["name"]?.stringValue })
            #expect(named == ["targets.sales_volum", "targets.overdue_share", "targets.new_dealers"], "\(bad.text)")

            // 5 200 000 of her own 5 000 000 target: 104 % × 35 = 36.40 points.
            let set = try await api.call(
                .put, path, as: nil, json: #"{"targets": {"sales_volume": "5 000 000,00", "payments_to_receivables": "75"}}"#,
                headers: api.bearer("vera@example.ru"))
            #expect(set.status == .ok && set.json["targets"]?["sales_volume"] == .number(5_000_000), "\(set.text)")
            let card = try await api.call(.get, "/v1/managers/\(anna)/scorecard?period=2026-12", as: nil, headers: api.bearer("anna@example.ru")).json
            let sales = Self.kpi(card, "sales_volume")
            #expect(sales?["target"] == .number(5_000_000) && sales?["target_source"] == .string("own"))
            #expect(sales?["achievement_percent"] == .number(104) && sales?["points"] == .number(Decimal(string: "36.4")!))
            #expect(Self.kpi(card, "payments_to_receivables")?["points"] == .number(15), "75 % of a 75 % target: 100 %")
            #expect(Self.kpi(card, "plan_fulfilment")?["target_source"] == .string("scheme"))
            #expect(card["points"] == .number(Decimal(string: "68.44")!), "36.40 + 15 + 17.04")
            // Another period keeps the scheme's targets; null gives one back.
            let november = try await api.call(.get, "/v1/managers/\(anna)/scorecard?period=2026-11", as: .admin).json
            #expect(Self.kpi(november, "sales_volume")?["target"] == .number(15_000_000))
            let reset = try await api.call(.put, path, as: .admin, json: #"{"targets": {"sales_volume": null}}"#)
            #expect(reset.json["targets"] == .object(["payments_to_receivables": .number(75)]), "\(reset.text)")
            let audit = try await api.call(.get, "/v1/audit?entity_type=manager&entity_id=\(anna)").json["items"]?.array ?? []
            #expect(audit.contains { $0["action"] == .string("kpi_targets.set") && $0["actor"] == .string("key-vera@example.ru") })
        }
    }

    @Test(arguments: Backend.available)
    func aClosedPeriodIsFrozenAndALateDocumentMakesAFlaggedVersion(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            _ = try await Self.seed(api)
            let vera = api.bearer("vera@example.ru")
            let running = try await api.call(.post, "/v1/scorecards/close", as: nil, json: #"{"period": "2026-12"}"#, headers: vera)
            #expect(running.status == .unprocessableContent && running.text.contains("has not ended yet"), "\(running.text)")
            #expect(
                try await api.call(.post, "/v1/scorecards/close", as: nil, json: #"{"period": "2026-11"}"#, headers: api.bearer("anna@example.ru"))
                    .status == .forbidden)

            let first = try await api.call(.post, "/v1/scorecards/close", as: .accountant, json: #"{"period": "2026-11"}"#)
            #expect(first.status == .ok && first.json["created"] == .number(3) && first.json["unchanged"] == .number(0), "\(first.text)")
            let again = try await api.call(.post, "/v1/scorecards/close", as: .accountant, json: #"{"period": "2026-11"}"#).json
            #expect(
                again["created"] == .number(0) && again["revised"] == .number(0) && again["unchanged"] == .number(3), "closing again changes nothing")

            // A November shipment arrives in December: Анна's and the head's cards change, Борис's does not.
            let a2 = try #require(try await api.call(.get, "/v1/dealers?q=A-2").json["items"]?.array.first?["id"]?.stringValue)
            let late = try await api.call(
                .post, "/v1/dealers/\(a2)/ledger", as: .integration,
                json: #"{"external_id": "РН-9", "kind": "shipment", "document_number": "РН-9", "document_date": "2026-11-28", "amount": "300000.00"}"#
            )
            #expect(late.status == .created)
            let revised = try await api.call(.post, "/v1/scorecards/close", as: nil, json: #"{"period": "2026-11"}"#, headers: vera).json
            #expect(revised["revised"] == .number(2) && revised["unchanged"] == .number(1), "\(revised)")

            let closed = try await api.call(.get, "/v1/scorecards/closed?period=2026-11", as: .accountant).json["items"]?.array ?? []
            let anna = closed.filter { $0["scorecard"]?["manager"]?["email"] == .string("anna@example.ru") }
            #expect(anna.map { $0["version"] } == [1, 2].map { JSONValue.number(Decimal($0)) })
            #expect(anna.map { $0["revised"] } == [false, true].map(JSONValue.bool))
            #expect(Self.kpi(anna[0]["scorecard"] ?? .null, "sales_volume")?["fact"] == .number(2_000_000), "the first version is kept as it was")
            #expect(Self.kpi(anna[1]["scorecard"] ?? .null, "sales_volume")?["fact"] == .number(2_300_000))
            #expect(closed.count == 5 && anna[1]["closed_by"] == .string("key-vera@example.ru"))
            // Анна's key reads her own records only.
            let own = try await api.call(.get, "/v1/scorecards/closed?period=2026-11", as: nil, headers: api.bearer("anna@example.ru")).json
            #expect(own["items"]?.array.count == 2)
            let events = try await api.call(.get, "/v1/events?type=kpi.period_closed", as: .integration).json["items"]?.array ?? []
            #expect(events.count == 3 && events.last?["data"]?["revised"] == .number(2) && events.last?["data"]?["period"] == .string("2026-11"))
        }
    }
}
