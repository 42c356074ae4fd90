import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Telegram for a dealer's contacts from the console: the dealer's own user links its director's
/// chat from the cabinet (the bot binds it on `/start`), sees it linked and unlinks it; a manager
/// makes the same link from his dealer's card, and another manager's dealer is not his to link.
@Suite("Console: Telegram for a dealer's contacts")
struct ConsoleContactTelegramTests {
    static func configure(_ fake: FakeTelegram) -> @Sendable (inout DealerdConfig) -> Void {
        { config in
            ConsoleSignInTests.configure(&config)
            config.managerScope = .own
            config.notifications.telegram = TelegramSettings(
                botName: "dealerd_test_bot", token: fake.token, apiURL: fake.url, perChatInterval: 0.05, timeout: 5)
        }
    }

    static func csrf(_ page: APIHarness.Reply) throws -> String {
        try #require(page.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) }, "\(page.text)")
    }

    @Test(arguments: Backend.available)
    func theDealerLinksItsContactsChatFromTheCabinetAndUnlinksIt(_ backend: Backend) async throws {
        try await withFakeTelegram { fake in
            try await APIHarness.run(backend, configure: Self.configure(fake), prepare: ConsoleCabinetTests.prepare) { api in
                let browser = ConsoleBrowser(api: api)
                let code = api.namedKeys["welcome"] ?? ""
                _ = try await browser.get("/welcome/\(code)")
                _ = try await browser.post(
                    "/welcome/\(code)",
                    [
                        "form_token": browser.cookies["dealerd_form"] ?? "", "password": ConsoleCabinetTests.password,
                        "repeat": ConsoleCabinetTests.password,
                    ])
                let alpha = api.namedKeys["alpha"] ?? ""

                let cabinet = try await browser.get("/cabinet")
                #expect(cabinet.status == .ok && cabinet.text.contains("Подключить Telegram"), "\(cabinet.text)")
                let csrf = try Self.csrf(cabinet)
                let made = try await browser.post("/cabinet/telegram-link", ["csrf": csrf, "email": "petr@example.ru"])
                #expect(made.status == .created, "\(made.text)")
                #expect(made.plain.contains("Контакт: Пётр Сидоров, petr@example.ru."), "\(made.plain)")
                let start = try #require(made.text.firstMatch(of: /https:\/\/t\.me\/dealerd_test_bot\?start=([A-Za-z0-9_-]+)/).map { String($0.1) })
                let wrong = try await browser.post("/cabinet/telegram-link", ["csrf": csrf, "email": "nobody@example.ru"])
                #expect(wrong.status == .unprocessableContent && wrong.plain.contains("нет контакта с почтой nobody@example.ru"), "\(wrong.plain)")
                #expect(try await browser.post("/cabinet/telegram-link", ["email": "petr@example.ru"]).status == .forbidden, "no CSRF token")

                fake.userWrites("/start \(start)", chat: 8001, username: "petr")
                try await eventually("the chat is linked") {
                    try await api.call(.get, "/v1/dealers/\(alpha)/telegram").json["items"]?.array.count == 1
                }
                let linked = try await browser.get("/cabinet")
                #expect(linked.plain.contains("подключён") && linked.text.contains("/cabinet/telegram/unlink"), "\(linked.plain)")

                let unlinked = try await browser.post("/cabinet/telegram/unlink", ["csrf": csrf, "email": "petr@example.ru"])
                #expect(unlinked.status == .seeOther && unlinked.headers[.location] == "/cabinet?done=telegram_unlinked#contacts-heading")
                #expect(try await api.call(.get, "/v1/dealers/\(alpha)/telegram").json["items"]?.array.isEmpty == true)
                let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(alpha)").json["items"]?.array ?? []
                #expect(
                    audit.first?["action"] == .string("telegram.unlink") && audit.first?["actor"] == .string("buh@alpha.ru"), "\(audit.prefix(2))")
                let after = try await browser.get("/cabinet?done=telegram_unlinked")
                #expect(after.plain.contains("Telegram отключён"), "\(after.plain)")
            }
        }
    }

    @Test(arguments: Backend.available)
    func aManagerMakesTheLinkFromHisDealersCardOnly(_ backend: Backend) async throws {
        try await withFakeTelegram { fake in
            try await APIHarness.run(backend, configure: Self.configure(fake), prepare: ConsoleDeskTests.prepare) { api in
                let browser = try await ConsoleDeskTests.signedInAnna(api)
                let alpha = api.namedKeys["alpha"] ?? ""
                let card = try await browser.get("/dealers/\(alpha)")
                #expect(card.status == .ok && card.text.contains("/dealers/\(alpha)/telegram-link"), "\(card.text)")
                let csrf = try Self.csrf(card)
                let made = try await browser.post("/dealers/\(alpha)/telegram-link", ["csrf": csrf, "email": "PETR@example.ru"])
                #expect(made.status == .created && made.text.contains("https://t.me/dealerd_test_bot?start="), "\(made.text)")
                #expect(made.plain.contains("Ссылка одноразовая и действует до"))
                let beta = api.namedKeys["beta"] ?? ""
                #expect(try await browser.post("/dealers/\(beta)/telegram-link", ["csrf": csrf, "email": "petr@example.ru"]).status == .notFound)
            }
        }
    }
}
