import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The admin's operations pages over HTTP: people invited by a link shown to the admin, disabled
/// at once, a job started by hand, and none of it open to any other role.
@Suite("Console: operations")
struct ConsoleOperationsTests {
    @Test(arguments: Backend.available)
    func anAdminInvitesAPersonDisablesThemAndStartsAJob(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend, configure: ConsoleSignInTests.configure,
            prepare: { store in
                _ = try await store.createAccreditedDealer(DealerDraft.sample(code: "ALPHA", name: "Альфа Моторс"))
                return try await ConsoleSignInTests.prepare(store)
            }
        ) { api in
            let admin = try await ConsoleSignInTests.signedInAdmin(api)
            let users = try await admin.get("/admin/users")
            #expect(users.status == .ok && users.text.contains("irina@example.ru"))
            let csrf = try #require(users.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })

            let unknownDealer = try await admin.post(
                "/admin/users", ["csrf": csrf, "email": "olga@alpha.ru", "name": "Ольга", "role": "dealer", "dealer": "NOPE"])
            #expect(unknownDealer.status == .unprocessableContent)
            #expect(unknownDealer.text.contains(#"id="dealer-error">Такого дилера нет"#), "\(unknownDealer.text)")
            let invited = try await admin.post(
                "/admin/users", ["csrf": csrf, "email": "Olga@Alpha.ru", "name": "Ольга", "role": "dealer", "dealer": "ALPHA"])
            #expect(invited.status == .ok)
            let link = try #require(invited.text.firstMatch(of: /value="(http[^"]+\/welcome\/[^"]+)"/).map { String($0.1) })
            let path = String(link[try #require(link.range(of: "/welcome/")).lowerBound...])
            let dealer = ConsoleBrowser(api: api)
            #expect(try await dealer.get(path).text.contains("olga@alpha.ru"))
            let again = try await admin.post("/admin/users", ["csrf": csrf, "email": "olga@alpha.ru", "name": "Ольга", "role": "viewer"])
            #expect(again.status == .conflict && again.text.contains("уже есть"))

            // The new person sets a password and signs in; disabling ends the session at once.
            let password = "Ольга-из-Альфы-2026"
            _ = try await dealer.post(path, ["form_token": dealer.cookies["dealerd_form"] ?? "", "password": password, "repeat": password])
            #expect(try await dealer.get("/cabinet").status == .ok)
            #expect(try await dealer.get("/admin/users").status == .notFound, "a dealer never reaches operations")
            let listed = try await admin.get("/admin/users").text
            let olga = try #require(
                listed.firstMatch(of: /\/admin\/users\/([0-9a-f-]+)\/disable"[^>]*><input[^>]*><button[^>]*>Отключить olga@alpha.ru/).map {
                    String($0.1)
                })
            let disabled = try await admin.post("/admin/users/\(olga)/disable", ["csrf": csrf])
            #expect(disabled.status == .seeOther)
            #expect(try await dealer.get("/cabinet").status == .seeOther, "the disabled person's session ended")

            // The configuration as `config check` prints it, and the keys with a revoke that takes at once.
            let config = try await admin.get("/admin/config")
            #expect(config.status == .ok && config.text.contains("manager_scope: all") && config.text.contains("password_cost: 4"), "\(config.text)")
            let keys = try await admin.get("/admin/keys")
            let viewerKey = try #require(
                keys.text.firstMatch(of: /\/admin\/keys\/([0-9a-f-]+)\/revoke"[^>]*><input[^>]*><button[^>]*>Отозвать viewer-key/).map {
                    String($0.1)
                },
                "\(keys.text)")
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .ok)
            #expect(try await admin.post("/admin/keys/\(viewerKey)/revoke", ["csrf": csrf]).status == .seeOther)
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .unauthorized)

            let webhooks = try await admin.get("/admin/webhooks")
            #expect(webhooks.status == .ok && webhooks.text.contains("Подписок нет"), "\(webhooks.text)")

            let jobs = try await admin.get("/admin/jobs")
            #expect(jobs.text.contains("credit-scan"), "\(jobs.text)")
            let started = try await admin.post("/admin/jobs/credit-scan/run", ["csrf": csrf])
            #expect(started.status == .seeOther)
            let runs = try await api.call(.get, "/v1/jobs/credit-scan/runs").json["items"]?.array ?? []
            #expect(runs.contains { $0["requested_by"] == .string("irina@example.ru") && $0["trigger"] == .string("manual") }, "\(runs)")
        }
    }
}

extension ConsoleOperationsTests {
    @Test(arguments: Backend.available)
    func anApplicantIsEvaluatedByTheProfileAndTheHeadOverridesWithAReason(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend, configure: ConsoleSignInTests.configure,
            prepare: { store in
                var draft = DealerDraft.sample(code: "GAMMA", name: "Гамма Авто")
                draft.status = .applicant
                let dealer = try await store.createDealer(draft, by: testActor)
                return try await ConsoleSignInTests.prepare(store).merging(["gamma": dealer.id.lowercased]) { a, _ in a }
            }
        ) { api in
            let admin = try await ConsoleSignInTests.signedInAdmin(api)
            let gamma = api.namedKeys["gamma"] ?? ""
            let page = try await admin.get("/dealers/\(gamma)/accreditation")
            #expect(page.status == .ok, "\(page.text)")
            // The dry run names each criterion with its outcome, as the API's evaluation does.
            let evaluation = try await api.call(
                .post, "/v1/accreditation/evaluate", json: #"{"profile": "standard", "dealer_id": "\#(gamma)"}"#
            ).json
            for result in evaluation["results"]?.array ?? [] {
                if case .string(let title)? = result["title"] { #expect(page.text.contains(title), "\(title)") }
            }
            #expect(page.text.contains("Решение руководителя вопреки профилю"))
            let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })

            let noReason = try await admin.post(
                "/dealers/\(gamma)/accreditation", ["csrf": csrf, "profile": "standard", "kind": "override", "decision": "accredited"])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains(#"id="reason-error""#), "\(noReason.text)")
            #expect(try await api.call(.get, "/v1/dealers/\(gamma)").json["status"] == .string("applicant"))
            let decided = try await admin.post(
                "/dealers/\(gamma)/accreditation",
                ["csrf": csrf, "profile": "standard", "kind": "override", "decision": "accredited", "reason": "выписка проверена вручную"])
            #expect(decided.status == .seeOther && decided.headers[.location] == "/dealers/\(gamma)?done=decided", "\(decided.text)")
            #expect(try await api.call(.get, "/v1/dealers/\(gamma)").json["status"] == .string("accredited"))
            let record = try await api.call(.get, "/v1/dealers/\(gamma)/accreditations").json["items"]?.array.first
            #expect(record?["decided_by"] == .string("irina@example.ru"), "\(String(describing: record))")
            let card = try await admin.get("/dealers/\(gamma)?done=decided")
            #expect(card.text.contains("Решение по аккредитации записано") && card.text.contains("выписка проверена вручную"))
        }
    }
}

extension ConsoleOperationsTests {
    @Test(arguments: Backend.available)
    func theAccountantChecksAnExportFromOneCThenImportsIt(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend, configure: ConsoleSignInTests.configure,
            prepare: { store in
                _ = try await store.createAccreditedDealer(DealerDraft.sample(code: "D-001", name: "Альфа Моторс"))
                return try await ConsoleSignInTests.prepare(store)
            }
        ) { api in
            let accountant = try await ConsoleSignInTests.signedInAdmin(api)
            let form = try await accountant.get("/ledger/import")
            let csrf = try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            let export =
                "Код дилера;Ид документа;Вид;Номер;Дата;Сумма\r\nD-001;1C-1;Отгрузка;РН-1;01.11.2026;\"250 000,00\"\r\nD-001;1C-2;Отгрузка;РН-2;02.11.2026;сто рублей\r\n"
            let checked = try await accountant.postFile(
                "/ledger/import", fields: ["csrf": csrf, "mode": "check"], file: ("file", "export.csv", export))
            #expect(checked.status == .ok, "\(checked.text)")
            #expect(checked.text.contains(#"data-figure="created">1<"#) && checked.text.contains(#"data-figure="rejected">1<"#), "\(checked.text)")
            #expect(checked.text.contains(#"<td data-label="Строка" class="num">3</td>"#), "the rejected line is named by its number")
            let alpha = try await api.call(.get, "/v1/dealers?q=D-001").json["items"]?.array.first?["id"]?.stringValue ?? ""
            #expect(try await api.call(.get, "/v1/dealers/\(alpha)/receivables").json["balance"] == .string("0.00"), "a check writes nothing")

            let imported = try await accountant.postFile(
                "/ledger/import", fields: ["csrf": csrf, "mode": "import"], file: ("file", "export.csv", export))
            #expect(imported.text.contains("Загружено строк") && imported.text.contains(#"data-figure="created">1<"#))
            #expect(try await api.call(.get, "/v1/dealers/\(alpha)/receivables").json["balance"] == .string("250000.00"))
            // Without the form's token the upload is refused.
            let forged = try await accountant.postFile("/ledger/import", fields: ["mode": "import"], file: ("file", "export.csv", export))
            #expect(forged.status == .forbidden)
        }
    }
}
