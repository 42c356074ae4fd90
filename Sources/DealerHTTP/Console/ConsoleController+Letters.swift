import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in links by e-mail: "forgot password" on the sign-in page, and an admin's invitation. The
/// letter goes through the notification outbox (retried, logged with its link hidden). The answer to
/// "forgot password" is the same whether or not the account exists.
extension ConsoleController {
    static let resetLifetime: TimeInterval = 3600
    static let resetPause: TimeInterval = 300

    func forgotForm(_ request: Request, sent: Bool = false) -> Response {
        let (token, cookie) = formToken(request)
        let view: [String: Any] = ["form_token": token, "mail": console.mailLinks, "sent": sent]
        return pages.page("forgot", title: "Забыли пароль", view: view, session: nil, headers: cookie)
    }

    func forgot(_ request: Request, _ context: APIContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard Self.carriesFormCookieToken(request, form["form_token"]) else { return forbidden(nil) }
        guard console.mailLinks, let base = console.publicURL else { return forgotForm(request) }
        let email = form["email"].trimmingCharacters(in: .whitespaces).lowercased()
        if EmailAddress.isPlausible(email), let user = try? await accounts.user(email), user.active {
            let last = try await accounts.lastLinkMade(userID: user.id, purpose: .reset)
            if last.map({ store.clock.now().timeIntervalSince($0) >= Self.resetPause }) ?? true {
                let code = try await accounts.makeLink(
                    userID: user.id, purpose: .reset, lifetime: Self.resetLifetime,
                    by: Caller(name: "console:\(context.remoteAddress)", role: .viewer))
                try await mailLink(to: user, url: base + "/welcome/" + code, lifetime: Self.resetLifetime, invitation: false)
            }
        }
        return forgotForm(request, sent: true)
    }

    func mailLink(to user: ConsoleUser, url: String, lifetime: TimeInterval, invitation: Bool) async throws {
        let expires = RussianText.instant(store.clock.now().addingTimeInterval(lifetime), in: store.calendar.timeZone)
        let subject = invitation ? "Приглашение в dealerd" : "Ссылка для входа в dealerd"
        let lead =
            invitation
            ? "Для вас создана учётная запись в dealerd. Чтобы задать пароль и войти, откройте ссылку:"
            : "Кто-то (надеемся, вы) попросил ссылку для входа в dealerd. Чтобы задать новый пароль, откройте ссылку:"
        let text = """
            Здравствуйте, \(user.name)!

            \(lead)
            \(url)

            Ссылка одноразовая и действует до \(expires). Если вы её не запрашивали, просто удалите это письмо: пароль останется прежним.
            """
        let html = """
            <!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>\(subject)</title></head><body>
            <p>Здравствуйте, \(HTMLText.escape(user.name))!</p><p>\(lead)</p>
            <p><a href="\(HTMLText.escape(url))">\(HTMLText.escape(url))</a></p>
            <p>Ссылка одноразовая и действует до \(expires). Если вы её не запрашивали, просто удалите это письмо.</p></body></html>
            """
        try await NotificationStore(store).enqueueLetter(
            rule: NotificationStore.letterRulePrefix + (invitation ? "welcome" : "reset"), address: user.email, name: user.name,
            subject: subject, text: text, html: html)
    }
}

/// Text put into HTML outside a template.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
