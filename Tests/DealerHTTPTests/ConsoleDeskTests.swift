import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// A manager's desk and the dealer pages over HTTP, under `auth.manager_scope: own`: the bonus the
/// desk shows is the API's, the manager finds his own dealers only, and the ranking is the head's.
@Suite("Console: a manager's desk and the dealer pages")
struct ConsoleDeskTests {
    static let password = "Анна-продаёт-лучше-всех-1"

    static func prepare(_ store: Store) async throws -> [String: String] {
        let anna = try await store.createManager(ManagerDraft(name: "Анна Иванова", email: "anna@example.ru", role: .existingClients), by: testActor)
        let boris = try await store.createManager(
            ManagerDraft(name: "Борис Петров", email: "boris@example.ru", role: .existingClients), by: testActor)
        let alpha = try await store.createAccreditedDealer(DealerDraft.sample(code: "ALPHA", name: "Альфа Моторс", managerID: anna.id))
        let beta = try await store.createAccreditedDealer(
            DealerDraft.sample(code: "BETA", name: "Бета Трак", taxID: KnownINN.organisations[1], managerID: boris.id))
        let today = store.calendar.today
        let items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = [
            (
                .code("ALPHA"),
                LedgerEntryDraft(externalID: "A-1", kind: "shipment", documentNumber: "УПД-1", documentDate: today.iso, amount: "250000")
            ),
            (.code("BETA"), LedgerEntryDraft(externalID: "B-1", kind: "shipment", documentNumber: "УПД-2", documentDate: today.iso, amount: "90000")),
        ]
        _ = try await store.recordLedgerEntries(
            items, correcting: false, defaults: CreditDefaults(), today: today, prefix: { "\($0)" }, by: testActor)
        let accounts = ConsoleStore(store)
        let user = try await accounts.createUser(
            ConsoleUserDraft(email: "anna@example.ru", name: "Анна Иванова", role: .manager, manager: "anna@example.ru"), by: .cli)
        let code = try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: 3600, by: .cli)
        let key = try await store.createAPIKey(name: "anna-key", role: .manager, manager: "anna@example.ru", by: .cli).secret
        return ["welcome": code, "anna": anna.id.lowercased, "alpha": alpha.id.lowercased, "beta": beta.id.lowercased, "anna-key": key]
    }

    /// Anna, through her welcome link, with her password set: a signed-in browser.
    static func signedInAnna(_ api: APIHarness) async throws -> ConsoleBrowser {
        let browser = ConsoleBrowser(api: api)
        let code = api.namedKeys["welcome"] ?? ""
        _ = try await browser.get("/welcome/\(code)")
        _ = try await browser.post(
            "/welcome/\(code)", ["form_token": browser.cookies["dealerd_form"] ?? "", "password": Self.password, "repeat": Self.password])
        return browser
    }

    @Test(arguments: Backend.available)
    func aManagerSeesHisBonusAndHisOwnDealersOnly(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend,
            configure: { config in
                ConsoleSignInTests.configure(&config)
                config.managerScope = .own
            }, prepare: Self.prepare
        ) { api in
            let browser = try await Self.signedInAnna(api)
            // Her deals from the CRM today: one at the proposal, one won; Борис's is not hers.
            let today = CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone).iso
            let deals = try await api.call(
                .post, "/v1/deals/batch", as: .integration,
                json: """
                    {"deals": [
                      {"external_id": "CRM-A", "dealer_code": "ALPHA", "manager": "anna@example.ru", "amount": "1250000.00", "stage": "proposal", "opened_on": "\(today)"},
                      {"external_id": "CRM-B", "prospect": "ООО «Вектор»", "manager": "anna@example.ru", "amount": "800000.00", "stage": "contract", "status": "won", "opened_on": "\(today)", "closed_on": "\(today)"},
                      {"external_id": "CRM-C", "dealer_code": "BETA", "manager": "boris@example.ru", "amount": "4321000.00", "stage": "lead", "opened_on": "\(today)"}
                    ]}
                    """)
            #expect(deals.status == .ok, "\(deals.text)")

            let desk = try await browser.get("/desk")
            #expect(desk.status == .ok, "\(desk.text)")
            let anna = api.namedKeys["anna"] ?? ""
            let card = try await api.call(.get, "/v1/managers/\(anna)/scorecard", as: nil, headers: api.bearer("anna-key")).json
            guard case .string(let bonus)? = card["bonus"] else {
                Issue.record("no bonus in the API's scorecard: \(card)")
                return
            }
            #expect(desk.plain.contains(#"data-figure="bonus">\#(ConsoleBrowserFigures.rub(bonus))"#), "\(bonus) \(desk.plain)")
            #expect(desk.text.contains("Объём продаж"))
            #expect(desk.text.contains("Альфа Моторс") && !desk.text.contains("Бета Трак"))
            // Her funnel, the API's figures for her key.
            let funnel = try await api.call(.get, "/v1/funnel", as: nil, headers: api.bearer("anna-key")).json
            #expect(funnel["in_work"] == .number(1) && funnel["won"] == .number(1) && funnel["average_deal"] == .string("800000.00"))
            #expect(desk.plain.contains(#"data-figure="deals-in-work">1<"#) && desk.plain.contains("1 250 000,00 ₽"), "\(desk.plain)")
            #expect(desk.plain.contains(#"data-figure="deals-won">1<"#) && desk.plain.contains(#"data-figure="win-rate">100 %<"#))
            #expect(desk.plain.contains(#"data-figure="average-deal">800 000,00 ₽<"#) && !desk.plain.contains("4 321 000,00 ₽"))
            #expect(desk.text.contains("Коммерческое предложение"))

            // The dealer list and cards: his own dealer only.
            let list = try await browser.get("/dealers")
            #expect(list.text.contains("Альфа Моторс") && !list.text.contains("Бета Трак"))
            let csv = try await browser.get("/dealers?format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.contains("ALPHA;Альфа Моторс;7707083893"))
            #expect(!csv.text.contains("BETA"), "the CSV keeps to what the manager may see")
            let found = try await browser.get("/dealers?q=" + ("альфа".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(found.text.contains("Альфа Моторс"))
            let own = try await browser.get("/dealers/\(api.namedKeys["alpha"] ?? "")")
            #expect(own.status == .ok && own.plain.contains(#"data-figure="balance">250 000,00 ₽"#), "\(own.text)")
            #expect(own.text.contains("Анна Иванова") && own.text.contains("Пётр Сидоров"))
            #expect(try await browser.get("/dealers/\(api.namedKeys["beta"] ?? "")").status == .notFound)
            #expect(try await browser.get("/dealers/not-a-uuid").status == .notFound)

            // Editing the card: the rules' refusal is by its field, in Russian; nothing is stored.
            let alpha = api.namedKeys["alpha"] ?? ""
            let form = try await browser.get("/dealers/\(alpha)/edit")
            #expect(form.status == .ok && form.text.contains(#"value="7707083893""#), "\(form.text)")
            let csrf = try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            var fields = [
                "csrf": csrf, "name": "Альфа Моторс", "legal_name": "ООО «Альфа Моторс»", "tax_id": "7707083894", "kpp": "",
                "region": "Москва", "city": "Химки", "segment": "cars", "manager_id": anna,
            ]
            let refused = try await browser.post("/dealers/\(alpha)/edit", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="tax_id-error">Контрольные цифры ИНН не сходятся"#), "\(refused.text)")
            #expect(refused.text.contains(#"value="Химки""#), "the form keeps what was typed")
            #expect(try await api.call(.get, "/v1/dealers/\(alpha)").json["city"] == .null)
            fields["tax_id"] = "7707083893"
            let saved = try await browser.post("/dealers/\(alpha)/edit", fields)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/dealers/\(alpha)?done=saved")
            #expect(try await api.call(.get, "/v1/dealers/\(alpha)").json["city"] == .string("Химки"))
            let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(alpha)").json["items"]?.array.first
            #expect(audit?["actor"] == .string("anna@example.ru") && audit?["action"] == .string("dealer.update"))
            // Another manager's dealer cannot be edited either.
            #expect(try await browser.post("/dealers/\(api.namedKeys["beta"] ?? "")/edit", fields).status == .notFound)

            // The ranking is the head of sales': not on an ordinary manager's board.
            let board = try await browser.get("/")
            #expect(board.status == .ok && !board.text.contains("Рейтинг менеджеров"))
        }
    }
}

/// Figures as the pages write them, with plain spaces for comparison.
enum ConsoleBrowserFigures {
    static func rub(_ decimal: String) -> String {
        guard let money = try? Money(parsing: decimal, currency: .rub) else { return decimal }
        return money.russianText.replacingOccurrences(of: "\u{00A0}", with: " ") + " ₽"
    }
}
