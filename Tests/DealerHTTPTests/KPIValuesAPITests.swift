import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The KPIs dealerd cannot see, as the telephony pushes them and the call manager's card
/// (`Config/kpi/call.yaml`) scores them: calls 30, reach 20 (knock-out under 40 %),
/// decision-maker contacts 35, CSI 15; 25 000 ₽ at 100 points.
@Suite("KPI values pushed from outside through the API")
struct KPIValuesAPITests {
    /// 2026-12-20 12:00 in Moscow.
    static let today = ScorecardAPITests.today

    static func department(_ store: Store) async throws -> [String: String] {
        var keys: [String: String] = [:]
        for (name, email, role) in [
            ("Галина Ершова", "galina@example.ru", SalesRole.call), ("Анна Петрова", "anna@example.ru", .existingClients),
            ("Вера Соколова", "vera@example.ru", .head),
        ] {
            _ = try await store.createManager(ManagerDraft(name: name, email: email, role: role), by: .cli)
            keys[email] = try await store.createAPIKey(name: "key-\(email)", role: .manager, manager: email, by: .cli).secret
        }
        return keys
    }

    static func managerID(_ api: APIHarness, _ email: String) async throws -> String {
        let managers = try await api.call(.get, "/v1/managers").json["items"]?.array ?? []
        return try #require(managers.first { $0["email"] == .string(email) }?["id"]?.stringValue)
    }

    static func put(
        _ api: APIHarness, _ path: String, _ body: String, as role: Role? = .integration, headers: HTTPFields = [:]
    ) async throws
        -> APIHarness.Reply
    {
        try await api.call(.put, "/v1/kpi/values/\(path)", as: role, json: body, headers: headers)
    }

    static func names(_ reply: APIHarness.Reply) -> Set<String> {
        Set((reply.json["invalid_params"]?.array ?? []).compactMap { $0["name"]?.stringValue })
    }

    @Test(arguments: Backend.available)
    func theTelephonyPushesCallsAndTheCallManagersCardScoresThemWithTheirSource(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let galina = try await Self.managerID(api, "galina@example.ru")
            // By e-mail or by id: the telephony knows its people by e-mail.
            let calls = try await Self.put(api, "galina@example.ru/2026-12/calls", #"{"value": 1080, "source": "Манго Офис"}"#)
            #expect(calls.status == .ok, "\(calls.text)")
            #expect(calls.json["value"] == .number(1080) && calls.json["source"] == .string("Манго Офис") && calls.json["title"] == .string("Звонки"))
            #expect(calls.json["manager_id"] == .string(galina) && calls.json["set_by"] == .string("integration-key"))
            #expect(try await Self.put(api, "\(galina)/2026-12/reach_rate", #"{"value": "54,5", "source": "Манго Офис"}"#).status == .ok)
            let contacts = try await Self.put(api, "\(galina)/2026-12/decision_maker_contacts", #"{"value": "120"}"#)
            #expect(contacts.json["source"] == .string("integration-key"), "no source given: the key's name")

            // Calls 1 080 of 1 200 (90 %: 27 points), reach 54.5 of 60 (90.8 %: 18.16), contacts
            // 120 of 150 (80 %: 28), no CSI yet (0): 73.16 points, 25 000 × 73.16 % = 18 290 ₽.
            let card = try await api.call(.get, "/v1/managers/\(galina)/scorecard?period=2026-12", as: nil, headers: api.bearer("galina@example.ru"))
            #expect(card.status == .ok, "\(card.text)")
            let json = card.json
            #expect(ScorecardAPITests.kpi(json, "calls")?["fact"] == .number(1080))
            #expect(ScorecardAPITests.kpi(json, "calls")?["source"] == .string("Манго Офис"))
            #expect(ScorecardAPITests.kpi(json, "calls")?["points"] == .number(27))
            #expect(ScorecardAPITests.kpi(json, "reach_rate")?["achievement_percent"] == .number(Decimal(string: "90.8")!))
            #expect(ScorecardAPITests.kpi(json, "reach_rate")?["points"] == .number(Decimal(string: "18.16")!))
            #expect(ScorecardAPITests.kpi(json, "decision_maker_contacts")?["points"] == .number(28))
            #expect(ScorecardAPITests.kpi(json, "csi")?["fact"] == .null && ScorecardAPITests.kpi(json, "csi")?["source"] == .null)
            #expect(json["points"] == .number(Decimal(string: "73.16")!) && json["knocked_out"] == .bool(false))
            #expect(json["bonus"] == .string("18290.00"))
            // The survey's CSI at its target is the best lift: 15 points, 3 750 ₽.
            let lift = json["lifts"]?.array.first
            #expect(lift?["kpi"] == .string("csi") && lift?["gain"] == .string("3750.00"), "\(json["lifts"] ?? .null)")
            #expect(lift?["text"] == .string("Удовлетворённость клиентов (CSI): до 85 % — +3\u{00A0}750,00 ₽"))

            // A manager does not report his own figures, nor anyone else's; the head of sales does.
            let own = try await Self.put(api, "\(galina)/2026-12/csi", #"{"value": "99"}"#, as: nil, headers: api.bearer("galina@example.ru"))
            #expect(own.status == .forbidden, "\(own.text)")
            #expect(
                try await Self.put(api, "\(galina)/2026-12/csi", #"{"value": "99"}"#, as: nil, headers: api.bearer("anna@example.ru")).status
                    == .forbidden)
            #expect(try await Self.put(api, "\(galina)/2026-12/csi", #"{"value": "99"}"#, as: .accountant).status == .forbidden)
            let survey = try await Self.put(
                api, "\(galina)/2026-12/csi", #"{"value": "85", "source": "Опрос CSI, декабрь"}"#, as: nil, headers: api.bearer("vera@example.ru"))
            #expect(survey.status == .ok, "\(survey.text)")
            let after = try await api.call(.get, "/v1/managers/\(galina)/scorecard?period=2026-12").json
            #expect(after["points"] == .number(Decimal(string: "88.16")!) && after["bonus"] == .string("22040.00"))
            #expect(ScorecardAPITests.kpi(after, "csi")?["source"] == .string("Опрос CSI, декабрь"))

            // A reach under 40 % knocks the bonus out, whatever the points.
            #expect(try await Self.put(api, "\(galina)/2026-12/reach_rate", #"{"value": "39.9"}"#).status == .ok)
            let knocked = try await api.call(.get, "/v1/managers/\(galina)/scorecard?period=2026-12").json
            #expect(knocked["knocked_out"] == .bool(true) && knocked["bonus"] == .string("0.00"))

            // What the head of sales sees, what a manager sees, and the trail of every change.
            let listed = try await api.call(.get, "/v1/kpi/values?period=2026-12", as: nil, headers: api.bearer("vera@example.ru"))
            #expect(listed.status == .ok && listed.json["items"]?.array.count == 4, "\(listed.text)")
            let annas = try await api.call(.get, "/v1/kpi/values?period=2026-12", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(annas.status == .ok && annas.json["items"]?.array.isEmpty == true, "\(annas.text)")
            let snooping = try await api.call(
                .get, "/v1/kpi/values?period=2026-12&manager=galina@example.ru", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(snooping.status == .forbidden)
            let audit = try await api.call(.get, "/v1/audit?entity_type=manager&entity_id=\(galina)").json["items"]?.array ?? []
            let reach = audit.filter { $0["action"] == .string("kpi_value.set") && $0["after"]?["kpi"] == .string("reach_rate") }
            #expect(
                reach.contains {
                    $0["before"]?["value"] == .number(Decimal(string: "54.5")!) && $0["after"]?["value"] == .number(Decimal(string: "39.9")!)
                })

            // Removing a value leaves the KPI without a fact again.
            #expect(try await api.call(.delete, "/v1/kpi/values/\(galina)/2026-12/csi", as: .integration).status == .noContent)
            #expect(try await api.call(.delete, "/v1/kpi/values/\(galina)/2026-12/csi", as: .integration).status == .notFound)
            let removed = try await api.call(.get, "/v1/managers/\(galina)/scorecard?period=2026-12").json
            #expect(ScorecardAPITests.kpi(removed, "csi")?["fact"] == .null)
            #expect(audit.count < (try await api.call(.get, "/v1/audit?entity_type=manager&entity_id=\(galina)").json["items"]?.array.count ?? 0))
        }
    }

    @Test(arguments: Backend.available)
    func aWrongValueIsRefusedWithTheFieldAtFaultAndNothingIsStored(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let galina = try await Self.managerID(api, "galina@example.ru")
            for (path, body, field) in [
                ("\(galina)/2026-12/calls", #"{"value": "12,5"}"#, "value"),
                ("\(galina)/2026-12/calls", #"{"value": "-1"}"#, "value"),
                ("\(galina)/2026-12/reach_rate", #"{"value": "100.01"}"#, "value"),
                ("\(galina)/2026-12/reach_rate", #"{"source": "Манго"}"#, "value"),
                ("\(galina)/2026-12/sales_volume", #"{"value": "5"}"#, "kpi"),
                ("\(galina)/2026-12/callz", #"{"value": "5"}"#, "kpi"),
                ("\(galina)/2026-13/calls", #"{"value": "5"}"#, "period"),
                ("not-a-manager/2026-12/calls", #"{"value": "5"}"#, "manager"),
                ("\(galina)/2026-12/calls", #"{"value": "5", "source": "\#(String(repeating: "я", count: 201))"}"#, "source"),
                ("\(galina)/2026-12/calls", #"{"value": "5", "source": "две\nстроки"}"#, "source"),
            ] {
                let reply = try await Self.put(api, path, body)
                #expect(reply.status == .unprocessableContent && Self.names(reply) == [field], "\(path) \(body): \(reply.text)")
            }
            let fractional = try await Self.put(api, "\(galina)/2026-12/reach_rate", #"{"value": 63.5}"#)
            #expect(fractional.status == .unprocessableContent && Self.names(fractional) == ["value"], "\(fractional.text)")
            #expect(try await Self.put(api, "nobody@example.ru/2026-12/calls", #"{"value": "5"}"#).status == .notFound)
            #expect(try await Self.put(api, "\(UUID().uuidString)/2026-12/calls", #"{"value": "5"}"#).status == .notFound)
            #expect(try await api.call(.get, "/v1/kpi/values?period=2026-12").json["items"]?.array.isEmpty == true)
            // 0 is a fact: no meetings this month.
            let none = try await Self.put(api, "\(galina)/2026-12/meetings", #"{"value": 0}"#)
            #expect(none.status == .ok && none.json["value"] == .number(0), "\(none.text)")
        }
    }

    @Test(arguments: Backend.available)
    func aFileGoesInWholeOrNotAtAllAQuarterAddsUpItsMonthsAndAClosedMonthKeepsItsValues(_ backend: Backend) async throws {
        try await APIHarness.run(backend, clock: TestClock(Self.today), prepare: Self.department) { api in
            let galina = try await Self.managerID(api, "galina@example.ru")
            let csv: HTTPFields = [.contentType: "text/csv"]
            let bad = "E-mail;Период;Показатель;Значение\ngalina@example.ru;2026-10;calls;400\nnobody@example.ru;2026-11;calls;много\n"
            let refused = try await api.call(.post, "/v1/kpi/values/import", as: .integration, headers: csv, body: bad)
            #expect(refused.status == .unprocessableContent && Self.names(refused) == ["line 3: value"], "\(refused.text)")
            let stranger = try await api.call(
                .post, "/v1/kpi/values/import", as: .integration, headers: csv,
                body: "E-mail;Период;Показатель;Значение\ngalina@example.ru;2026-10;calls;400\nnobody@example.ru;2026-11;calls;5\n")
            #expect(stranger.status == .unprocessableContent && Self.names(stranger) == ["line 3"], "\(stranger.text)")
            #expect(try await api.call(.get, "/v1/kpi/values?period=2026-10").json["items"]?.array.isEmpty == true)

            let file = """
                E-mail;Период;Показатель;Значение
                galina@example.ru;2026-10;calls;400
                galina@example.ru;2026-11;calls;500
                galina@example.ru;2026-12;calls;300
                galina@example.ru;2026-10;reach_rate;50
                galina@example.ru;2026-11;reach_rate;60
                galina@example.ru;2026-12;reach_rate;55

                """
            let dry = try await api.call(
                .post, "/v1/kpi/values/import?dry_run=true&source=%D0%9C%D0%B0%D0%BD%D0%B3%D0%BE%20%D0%9E%D1%84%D0%B8%D1%81", as: .integration,
                headers: csv, body: file)
            #expect(dry.status == .ok && dry.json["stored"] == .number(0) && dry.json["checked"] == .number(6), "\(dry.text)")
            #expect(try await api.call(.get, "/v1/kpi/values?period=2026-10").json["items"]?.array.isEmpty == true)
            let loaded = try await api.call(
                .post, "/v1/kpi/values/import?source=%D0%9C%D0%B0%D0%BD%D0%B3%D0%BE%20%D0%9E%D1%84%D0%B8%D1%81", as: .integration, headers: csv,
                body: file)
            #expect(loaded.status == .ok && loaded.json["stored"] == .number(6), "\(loaded.text)")

            // The quarter has no values of its own: 1 200 calls, reach (50 + 60 + 55) ÷ 3 = 55 %.
            let quarter = try await api.call(.get, "/v1/managers/\(galina)/scorecard?period=2026-Q4").json
            #expect(ScorecardAPITests.kpi(quarter, "calls")?["fact"] == .number(1200))
            #expect(ScorecardAPITests.kpi(quarter, "calls")?["source"] == .string("Манго Офис (2026-10, 2026-11, 2026-12)"))
            #expect(ScorecardAPITests.kpi(quarter, "reach_rate")?["fact"] == .number(55))

            // November closed keeps its 500 calls; a corrected figure afterwards makes a revised version.
            let closed = try await api.call(.post, "/v1/scorecards/close", as: .accountant, json: #"{"period": "2026-11"}"#)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(try await Self.put(api, "\(galina)/2026-11/calls", #"{"value": "650", "source": "Манго Офис, сверка"}"#).status == .ok)
            let again = try await api.call(.post, "/v1/scorecards/close", as: .accountant, json: #"{"period": "2026-11"}"#)
            #expect(again.json["revised"] == .number(1), "\(again.text)")
            let versions = (try await api.call(.get, "/v1/scorecards/closed?period=2026-11").json["items"]?.array ?? [])
                .filter { $0["manager_id"] == .string(galina) }
            #expect(versions.map { ScorecardAPITests.kpi($0["scorecard"] ?? .null, "calls")?["fact"] } == [.number(500), .number(650)])
            #expect(versions.map { $0["revised"] } == [.bool(false), .bool(true)])
            #expect(ScorecardAPITests.kpi(versions.last?["scorecard"] ?? .null, "calls")?["source"] == .string("Манго Офис, сверка"))
        }
    }

    @Test(arguments: Backend.available)
    func theCallManagersDeskShowsWhereEachFigureCameFrom(_ backend: Backend) async throws {
        let prepare: @Sendable (Store) async throws -> [String: String] = { store in
            var keys = try await Self.department(store)
            let accounts = ConsoleStore(store)
            let user = try await accounts.createUser(
                ConsoleUserDraft(email: "galina@example.ru", name: "Галина Ершова", role: .manager, manager: "galina@example.ru"), by: .cli)
            keys["welcome"] = try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: 3600, by: .cli)
            return keys
        }
        try await APIHarness.run(backend, configure: ConsoleSignInTests.configure, prepare: prepare) { api in
            // The desk shows the running month; the console's form tokens go by the real clock.
            let month = PlanPeriod.month(of: CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow") ?? .gmt))
            #expect(try await Self.put(api, "galina@example.ru/\(month)/calls", #"{"value": 1080, "source": "Манго Офис"}"#).status == .ok)
            #expect(try await Self.put(api, "galina@example.ru/\(month)/reach_rate", #"{"value": "54,5", "source": "Манго Офис"}"#).status == .ok)
            let browser = ConsoleBrowser(api: api)
            let code = api.namedKeys["welcome"] ?? ""
            _ = try await browser.get("/welcome/\(code)")
            _ = try await browser.post(
                "/welcome/\(code)",
                ["form_token": browser.cookies["dealerd_form"] ?? "", "password": ConsoleDeskTests.password, "repeat": ConsoleDeskTests.password])
            let desk = try await browser.get("/desk")
            #expect(desk.status == .ok, "\(desk.text)")
            #expect(desk.text.contains("Звонки<br><small class=\"muted\">Источник: Манго Офис</small>"), "\(desk.text)")
            #expect(desk.text.contains("Удовлетворённость клиентов (CSI)<br><small class=\"muted\">Источник: нет данных за период</small>"))
            // Calls 27 points and reach 18.16: 45.16 points, 11 290 ₽.
            #expect(desk.plain.contains(#"data-figure="bonus">\#(ConsoleBrowserFigures.rub("11290.00"))"#), "\(desk.plain)")
        }
    }
}
