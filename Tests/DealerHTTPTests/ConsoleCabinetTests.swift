import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

extension APIHarness.Reply {
    /// The page's text with no-break spaces (between digit groups, before ₽) as plain ones.
    var plain: String { text.replacingOccurrences(of: "\u{00A0}", with: " ") }
}

/// The dealer cabinet over HTTP: a dealer user sees its own figures (those the API gives its key),
/// confirms its act as itself, and never reaches another dealer's act or a staff page.
@Suite("Console: the dealer cabinet")
struct ConsoleCabinetTests {
    static let password = "Дилер-Альфа-на-связи-1"

    static func prepare(_ store: Store) async throws -> [String: String] {
        let alpha = try await store.createAccreditedDealer(DealerDraft.sample(code: "ALPHA", name: "Альфа Моторс"))
        let beta = try await store.createAccreditedDealer(
            DealerDraft.sample(code: "BETA", name: "Бета Трак", taxID: KnownINN.organisations[1]))
        let lastMonth = PlanPeriod.month(of: store.calendar.today).previous
        var items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = []
        for (code, amount) in [("ALPHA", "1234567.89"), ("BETA", "500000")] {
            items.append(
                (
                    DealerReference(code),
                    LedgerEntryDraft(
                        externalID: "\(code)-1", kind: "shipment", documentNumber: "УПД-\(code)-1", documentDate: lastMonth.firstDay.iso,
                        amount: amount)
                ))
        }
        _ = try await store.recordLedgerEntries(
            items, correcting: false, defaults: CreditDefaults(), today: store.calendar.today, prefix: { "\($0)" }, by: testActor)
        _ = try await store.setCreditPolicy(
            dealerID: alpha.id, CreditPolicyDraft(limit: "1000000", reason: "лимит по договору"), defaults: CreditDefaults(),
            today: store.calendar.today, by: testActor)
        let settings = ActSettings(company: ActParty(name: "ООО «Производитель»", inn: KnownINN.organisations[2], kpp: nil))
        _ = try await store.generateActs(from: lastMonth.firstDay, to: lastMonth.lastDay, reason: .manual, settings: settings)
        let acts = try await store.acts(ActQuery(limit: 10)).items
        _ = try await store.addDocument(
            dealerID: alpha.id, DealerDocumentDraft(kind: "bank_reference", number: "Б-17", expires: store.calendar.today.adding(days: -1).iso),
            by: testActor)
        let accounts = ConsoleStore(store)
        let user = try await accounts.createUser(
            ConsoleUserDraft(email: "buh@alpha.ru", name: "Ольга (Альфа)", role: .dealer, dealer: .code("ALPHA")), by: .cli)
        let code = try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: 3600, by: .cli)
        return [
            "welcome": code, "alpha": alpha.id.lowercased, "beta": beta.id.lowercased,
            "alpha_act": acts.first { $0.dealerID == alpha.id }?.id.lowercased ?? "",
            "beta_act": acts.first { $0.dealerID == beta.id }?.id.lowercased ?? "",
        ]
    }

    @Test(arguments: Backend.available)
    func aDealerSeesItsOwnFiguresConfirmsItsActAndNothingElse(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: ConsoleSignInTests.configure, prepare: Self.prepare) { api in
            let browser = ConsoleBrowser(api: api)
            let code = api.namedKeys["welcome"] ?? ""
            _ = try await browser.get("/welcome/\(code)")
            let set = try await browser.post(
                "/welcome/\(code)", ["form_token": browser.cookies["dealerd_form"] ?? "", "password": Self.password, "repeat": Self.password])
            #expect(set.status == .seeOther && set.headers[.location] == "/")
            // Home for a dealer is its cabinet.
            let home = try await browser.get("/")
            #expect(home.status == .seeOther && home.headers[.location] == "/cabinet")

            let cabinet = try await browser.get("/cabinet")
            #expect(cabinet.status == .ok, "\(cabinet.text)")
            let alpha = api.namedKeys["alpha"] ?? ""
            let own = try await api.call(.get, "/v1/dealers/\(alpha)/receivables").json
            // The API's figures, as the cabinet writes them for a Russian reader.
            #expect(own["balance"] == .string("1234567.89") && own["limit"] == .string("1000000.00"))
            #expect(cabinet.plain.contains(#"data-figure="balance">1 234 567,89 ₽"#), "\(cabinet.text)")
            #expect(cabinet.plain.contains(#"data-figure="limit">1 000 000,00 ₽"#))
            #expect(cabinet.plain.contains(#"data-figure="available">-234 567,89 ₽"#))
            // How it pays, the API's twelve months as the cabinet writes them: last month's shipment,
            // nothing paid yet, so no share on time.
            let discipline = try await api.call(.get, "/v1/dealers/\(alpha)/payment-discipline").json
            guard case .number(let dso) = discipline["total"]?["dso_days"] else {
                Issue.record("no DSO: \(discipline)")
                return
            }
            #expect(cabinet.plain.contains(#"data-figure="dso">"# + ScorecardText.decimal(dso) + "<"), "\(cabinet.text)")
            #expect(cabinet.plain.contains(#"data-figure="on-time">—<"#))
            let lastMonth = PlanPeriod.month(of: CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone)).previous
            #expect(cabinet.plain.contains(lastMonth.russianName + #"</td><td data-label="Продажи" class="num">1 234 567,89 ₽"#))
            #expect(cabinet.text.contains("УПД-ALPHA-1") && !cabinet.text.contains("УПД-BETA-1"))
            // Its documents with their expiry, and its contacts on file.
            #expect(cabinet.text.contains("Справка из банка") && cabinet.text.contains("(истёк)"), "\(cabinet.text)")
            #expect(cabinet.text.contains("Пётр Сидоров"))

            let alphaAct = api.namedKeys["alpha_act"] ?? ""
            let betaAct = api.namedKeys["beta_act"] ?? ""
            #expect(!alphaAct.isEmpty && !betaAct.isEmpty)
            let csrf = try #require(cabinet.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })

            // Another dealer's act, by its page or its confirm form, does not exist for this dealer;
            // nor do the staff's pages.
            #expect(try await browser.get("/cabinet/acts/\(betaAct)").status == .notFound)
            #expect(try await browser.post("/cabinet/acts/\(betaAct)/confirm", ["csrf": csrf]).status == .notFound)
            #expect(try await browser.get("/reports/ageing").status == .notFound)
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(betaAct)").json["status"] == .string("generated"))

            let printed = try await browser.get("/cabinet/acts/\(alphaAct)")
            #expect(printed.status == .ok && printed.text.contains("Акт сверки"))
            // The act as a PDF, from the link beside it; another dealer's is not there.
            #expect(cabinet.text.contains("/cabinet/acts/\(alphaAct)/act.pdf"))
            if ActPDFTests.enabled {
                let pdf = try await browser.get("/cabinet/acts/\(alphaAct)/act.pdf")
                #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf" && pdf.text.hasPrefix("%PDF-"))
            }
            #expect(try await browser.get("/cabinet/acts/\(betaAct)/act.pdf").status == .notFound)

            let confirmed = try await browser.post("/cabinet/acts/\(alphaAct)/confirm", ["csrf": csrf])
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/cabinet?done=confirmed")
            let act = try await api.call(.get, "/v1/reconciliation-acts/\(alphaAct)").json
            #expect(act["status"] == .string("confirmed"))
            #expect(act["answered_by"] == .string("buh@alpha.ru"), "the act is answered by the person: \(act)")
            let after = try await browser.get("/cabinet?done=confirmed")
            #expect(after.text.contains("Акт подтверждён") && after.text.contains("Подтверждён"))
            let twice = try await browser.post("/cabinet/acts/\(alphaAct)/confirm", ["csrf": csrf])
            #expect(twice.status == .conflict && twice.text.contains("уже не ждёт ответа"))
        }
    }

    @Test(arguments: Backend.available)
    func theBoardShowsTheAPIsFiguresAndTheAgeingDownloadsAsCSV(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend, configure: ConsoleSignInTests.configure,
            prepare: { store in
                let keys = try await Self.prepare(store)
                return try await ConsoleSignInTests.prepare(store).merging(keys.filter { $0.key != "welcome" }) { a, _ in a }
            }
        ) { api in
            let browser = try await ConsoleSignInTests.signedInAdmin(api)
            // A blocked shipment today and a plan for this month, as the ERP and the head of sales make them.
            let alpha = api.namedKeys["alpha"] ?? ""
            let check = try await api.call(.post, "/v1/dealers/\(alpha)/credit-check", json: #"{"amount": "1000"}"#)
            #expect(check.json["decision"] == .string("block"), "\(check.text)")
            let month = PlanPeriod.month(of: CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone)).description
            let plan = try await api.call(.put, "/v1/dealers/\(alpha)/plans/\(month)", json: #"{"amount": "2000000.00"}"#)
            #expect(plan.status == .ok || plan.status == .created, "\(plan.text)")
            let board = try await browser.get("/")
            #expect(board.status == .ok)
            let totals = try await api.call(.get, "/v1/receivables?limit=1").json["totals"]?.array ?? []
            #expect(totals.first?["balance"] == .string("1734567.89"), "\(totals)")
            #expect(board.plain.contains(#"data-figure="balance-RUB"><a href="/reports/ageing">1 734 567,89 ₽"#), "\(board.text)")
            let breached = try await api.call(.get, "/v1/receivables?state=breached").json["items"]?.array.count
            #expect(breached == 1)
            #expect(board.plain.contains(#"data-figure="breached" class="bad">1<"#))
            #expect(board.text.contains("Альфа Моторс") && board.text.contains("123&nbsp;%"))
            #expect(board.plain.contains(#"data-figure="status-accredited">2<"#))

            let card = try await browser.get("/dealers/\(alpha)")
            #expect(card.plain.contains("1 000 000 ₽") && card.text.contains("лимит по договору"), "the credit terms' history: \(card.plain)")
            #expect(card.text.contains("Справка из банка"))
            let ageing = try await browser.get("/reports/ageing")
            #expect(ageing.status == .ok && ageing.plain.contains(#"data-figure="total-balance">1 734 567,89 ₽"#), "\(ageing.text)")
            let csv = try await browser.get("/reports/ageing?format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.contains("ALPHA;Альфа Моторс;") && csv.text.contains("1234567,89"))
        }
    }
}

extension ConsoleCabinetTests {
    @Test(arguments: Backend.available)
    func aDealerDisputesItsActAndTheAccountantSeesBothSides(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend, configure: ConsoleSignInTests.configure,
            prepare: { store in
                let keys = try await Self.prepare(store)
                return try await ConsoleSignInTests.prepare(store).merging(keys.filter { $0.key != "welcome" }) { a, _ in a }
                    .merging(["dealer_welcome": keys["welcome"] ?? ""]) { a, _ in a }
            }
        ) { api in
            let dealer = ConsoleBrowser(api: api)
            let code = api.namedKeys["dealer_welcome"] ?? ""
            _ = try await dealer.get("/welcome/\(code)")
            _ = try await dealer.post(
                "/welcome/\(code)", ["form_token": dealer.cookies["dealerd_form"] ?? "", "password": Self.password, "repeat": Self.password])
            let act = api.namedKeys["alpha_act"] ?? ""
            let form = try await dealer.get("/cabinet/acts/\(act)/dispute")
            #expect(form.status == .ok && form.text.contains("УПД-ALPHA-1"), "\(form.text)")
            let csrf = try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })

            let empty = try await dealer.post("/cabinet/acts/\(act)/dispute", ["csrf": csrf])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Укажите хотя бы одну строку"))
            let badAmount = try await dealer.post(
                "/cabinet/acts/\(act)/dispute", ["csrf": csrf, "document_1": "УПД-ALPHA-1", "theirs_1": "сто тысяч"])
            #expect(badAmount.text.contains(#"id="theirs_1-error""#), "\(badAmount.text)")
            #expect(badAmount.text.contains(#"value="сто тысяч""#))
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(act)").json["status"] == .string("generated"))

            let sent = try await dealer.post(
                "/cabinet/acts/\(act)/dispute",
                [
                    "csrf": csrf, "document_0": "УПД-ALPHA-1", "ours_0": "1 234 567,89", "theirs_0": "1 200 000,00",
                    "comment_0": "скидка 34 567,89 не учтена", "closing": "1 200 000,00",
                ])
            #expect(sent.status == .seeOther && sent.headers[.location] == "/cabinet?done=disputed", "\(sent.text)")
            let stored = try await api.call(.get, "/v1/reconciliation-acts/\(act)").json
            #expect(stored["status"] == .string("disputed") && stored["answered_by"] == .string("buh@alpha.ru"), "\(stored)")

            // The accountant (here the admin) sees the period's acts by status and both sides of the dispute.
            let accountant = try await ConsoleSignInTests.signedInAdmin(api)
            let list = try await accountant.get("/acts")
            #expect(list.status == .ok && list.text.contains(#"data-figure="acts-disputed">1<"#), "\(list.text)")
            #expect(list.text.contains(#"data-figure="acts-generated">1<"#))
            let detail = try await accountant.get("/acts/\(act)")
            #expect(
                detail.plain.contains("1 234 567,89 ₽") && detail.plain.contains("1 200 000,00 ₽") && detail.plain.contains("-34 567,89 ₽"),
                "\(detail.plain)")
            #expect(detail.text.contains("скидка 34 567,89 не учтена"))
            let csv = try await accountant.get("/acts?format=csv")
            #expect(csv.text.contains("Альфа Моторс") && csv.text.contains("Оспорен"))
            #expect(try await accountant.get("/acts/\(act)/print").text.contains("Акт сверки"))
            #expect(detail.text.contains("/acts/\(act)/act.pdf"))
            if ActPDFTests.enabled {
                let pdf = try await accountant.get("/acts/\(act)/act.pdf")
                #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf" && pdf.text.hasPrefix("%PDF-"))
            }
        }
    }
}
