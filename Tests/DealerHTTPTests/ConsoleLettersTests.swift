import DealerCore
import DealerHTTP
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Sign-in links by e-mail through a real SMTP server (aiosmtpd on loopback): a forgotten password
/// and an admin's invitation arrive as letters whose link works once, and the log hides the link.
@Suite("Console: sign-in links by e-mail")
struct ConsoleLettersTests {
    @Test(arguments: Backend.available)
    func aForgottenPasswordAndAnInvitationArriveByMail(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        try await APIHarness.run(
            backend,
            configure: { config in
                NotificationEmailAPITests.configure(sink)(&config)
                ConsoleSignInTests.configure(&config)
                config.console.publicURL = "https://dealerd.example.ru"
            }, prepare: ConsoleSignInTests.prepare
        ) { api in
            try await ConsoleSignInTests.setPassword(api)
            let stranger = ConsoleBrowser(api: api)
            let form = try await stranger.get("/forgot")
            #expect(form.text.contains("Прислать ссылку"), "\(form.text)")
            let token = stranger.cookies["dealerd_form"] ?? ""
            // The answer is the same for an account that does not exist, and no letter goes out for it.
            let unknown = try await stranger.post("/forgot", ["form_token": token, "email": "nobody@example.ru"])
            let known = try await stranger.post("/forgot", ["form_token": token, "email": "Irina@Example.ru"])
            #expect(unknown.status == .ok && known.status == .ok)
            #expect(
                unknown.text.contains("Если учётная запись с этим адресом есть") && known.text.contains("Если учётная запись с этим адресом есть"))
            let letters = try await sink.waitFor(1)
            let letter = try #require(letters.first)
            #expect(letter.rcptTos == ["irina@example.ru"] && letter.subject == "Ссылка для входа в dealerd", "\(letter.subject)")
            let link = try #require(letter.text?.firstMatch(of: /https:\/\/dealerd\.example\.ru(\/welcome\/[A-Za-z0-9_-]+)/).map { String($0.1) })
            // A second request within minutes sends nothing more.
            _ = try await stranger.post("/forgot", ["form_token": token, "email": "irina@example.ru"])

            let newPassword = "Новый-пароль-после-сброса-9"
            let owner = ConsoleBrowser(api: api)
            _ = try await owner.get(link)
            let set = try await owner.post(link, ["form_token": owner.cookies["dealerd_form"] ?? "", "password": newPassword, "repeat": newPassword])
            #expect(set.status == .seeOther, "\(set.text)")
            #expect(try await ConsoleBrowser(api: api).get(link).status == .notFound, "the link is spent")

            // The log shows that a link went out, never the link.
            let log = try await api.call(.get, "/v1/notifications").json["items"]?.array ?? []
            let logged = try #require(log.first { $0["rule"] == .string("console.reset") })
            #expect(logged["text"] == .string("(одноразовая ссылка для входа скрыта)"), "\(logged)")

            // An invitation by mail from the admin's page.
            let users = try await owner.get("/admin/users")
            let csrf = try #require(users.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            let invited = try await owner.post(
                "/admin/users", ["csrf": csrf, "email": "viktor@example.ru", "name": "Виктор", "role": "viewer", "send": "on"])
            #expect(invited.text.contains("Приглашение отправлено на viktor@example.ru"), "\(invited.text)")
            let both = try await sink.waitFor(2)
            #expect(both.count == 2, "the repeated request sent nothing: \(both.map(\.subject))")
            #expect(both.contains { $0.rcptTos == ["viktor@example.ru"] && $0.subject == "Приглашение в dealerd" })
        }
        try await sink.stop()
    }
}
