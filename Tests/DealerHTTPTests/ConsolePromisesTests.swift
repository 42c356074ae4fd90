import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// A manager records a dealer's promise to pay from its card, as himself: a refusal is shown by
/// its field in Russian with what he typed kept, the card then shows the reminders paused, and he
/// can withdraw it; another manager's dealer is not his to promise for.
@Suite("Console: promises to pay on the dealer's card")
struct ConsolePromisesTests {
    @Test(arguments: Backend.available)
    func aManagerRecordsAndWithdrawsAPromiseFromTheCard(_ backend: Backend) async throws {
        try await APIHarness.run(
            backend,
            configure: { config in
                ConsoleSignInTests.configure(&config)
                config.managerScope = .own
            }, prepare: ConsoleDeskTests.prepare
        ) { api in
            let browser = try await ConsoleDeskTests.signedInAnna(api)
            let alpha = api.namedKeys["alpha"] ?? ""

            let card = try await browser.get("/dealers/\(alpha)")
            #expect(card.status == .ok && card.text.contains("Напоминания об оплате"), "\(card.text)")
            #expect(card.text.contains("за 3 дня до срока, в день срока, просрочка 3 дня, просрочка 10 дней, просрочка 30 дней"))
            #expect(card.text.contains("Напоминаний не отправляли."))
            #expect(card.text.contains("/dealers/\(alpha)/promises/new"))

            let form = try await browser.get("/dealers/\(alpha)/promises/new")
            #expect(form.status == .ok, "\(form.text)")
            let csrf = try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            let refused = try await browser.post(
                "/dealers/\(alpha)/promises", ["csrf": csrf, "amount": "сто тысяч", "date": "01.01.2020", "note": "после аванса"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="amount-error">Это не сумма"#), "\(refused.text)")
            #expect(refused.text.contains(#"id="date-error">Дата уже прошла"#), "\(refused.text)")
            #expect(refused.text.contains("после аванса"), "the form keeps what was typed")
            #expect(try await api.call(.get, "/v1/dealers/\(alpha)/promises").json["items"]?.array.isEmpty == true, "nothing stored")

            let by = CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone).adding(days: 5)
            let saved = try await browser.post(
                "/dealers/\(alpha)/promises", ["csrf": csrf, "amount": "100 000,00", "date": by.russian, "note": "после аванса"])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/dealers/\(alpha)?done=promised#dunning-heading")
            let promises = try await api.call(.get, "/v1/dealers/\(alpha)/promises").json["items"]?.array ?? []
            let promise = try #require(promises.first)
            #expect(promise["amount"] == .string("100000.00") && promise["made_by"] == .string("anna@example.ru"), "\(promise)")
            #expect(promise["date"] == .string(by.iso) && promise["note"] == .string("после аванса"))
            let paused = try await browser.get("/dealers/\(alpha)?done=promised")
            #expect(paused.text.contains("Приостановлены до \(by.russian) включительно"), "\(paused.text)")
            #expect(paused.plain.contains("100 000,00 ₽") && paused.text.contains("действует"))
            #expect(!paused.text.contains("/dealers/\(alpha)/promises/new"), "one promise runs at a time")

            // Another manager's dealer is not found for him, page or form.
            let beta = api.namedKeys["beta"] ?? ""
            #expect(try await browser.get("/dealers/\(beta)/promises/new").status == .notFound)
            #expect(
                try await browser.post("/dealers/\(beta)/promises", ["csrf": csrf, "amount": "1", "date": by.russian]).status
                    == .notFound)

            let id = try #require(promise["id"]?.stringValue)
            let cancelled = try await browser.post("/dealers/\(alpha)/promises/\(id)/cancel", ["csrf": csrf])
            #expect(cancelled.status == .seeOther, "\(cancelled.text)")
            let after = try await api.call(.get, "/v1/dealers/\(alpha)/promises").json["items"]?.array.first
            #expect(after?["status"] == .string("cancelled"))
            let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(alpha)").json["items"]?.array ?? []
            #expect(audit.prefix(2).map { $0["action"]?.stringValue ?? "" } == ["promise.cancel", "promise.record"], "\(audit)")
            #expect(audit.first?["actor"] == .string("anna@example.ru"))
            // The card's change log and its rhythm say it in Russian, not in the API's words.
            let logged = try await browser.get("/dealers/\(alpha)").text
            #expect(logged.contains("anna@example.ru: обещание оплаты отменено") && logged.contains("anna@example.ru: записано обещание оплаты"))
            #expect(!logged.contains("promise.cancel") && logged.contains("Для ритма нужно 3 интервала между отгрузками, пока 0."))
        }
    }
}
