import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Signing in, and setting a password from a one-time link. Before there is a session these forms
/// carry a double-submit token: the `dealerd_form` cookie's value, repeated in the form.
extension ConsoleController {
    func signInForm(_ request: Request, email: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = formToken(request)
        let next = Self.safeReturnPath(request.uri.queryParameters.get("next"))
        var view: [String: Any] = ["form_token": token, "email": email, "next": next]
        if let error { view["error"] = error }
        return pages.page("sign-in", title: "Вход", view: view, session: nil, status: status, headers: cookie)
    }

    func signIn(_ request: Request, _ context: APIContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard Self.carriesFormCookieToken(request, form["form_token"]) else { return forbidden(nil) }
        let email = form["email"].trimmingCharacters(in: .whitespaces)
        let next = Self.safeReturnPath(form["next"])
        switch try await accounts.signInGate(email: email, address: context.remoteAddress) {
        case .locked(let until):
            let time = RussianText.instant(until, in: store.calendar.timeZone)
            return signInForm(
                request, email: email, error: "Слишком много неудачных попыток входа. Повторите после \(time).", status: .tooManyRequests)
        case .open(let user, let hash):
            guard try await hasher.verify(form["password"], against: hash), let user else {
                try await accounts.recordFailedSignIn(userID: user?.id, address: context.remoteAddress)
                return signInForm(request, email: email, error: "Неверная почта или пароль.", status: .unauthorized)
            }
            let grant = try await accounts.startSession(userID: user.id, address: context.remoteAddress)
            return ConsolePages.redirect(
                to: next,
                cookies: [
                    ConsoleCookies.set(ConsoleCookies.session, grant.token, secure: console.secureCookies),
                    ConsoleCookies.clear(ConsoleCookies.form, secure: console.secureCookies),
                ])
        }
    }

    func welcomeForm(_ request: Request, _ context: APIContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard let user = try await accounts.linkHolder(code: code) else { return invalidLink() }
        return passwordForm(request, user: user, code: code)
    }

    func passwordForm(
        _ request: Request, user: ConsoleUser, code: String, errors: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        let (token, cookie) = formToken(request)
        var view: [String: Any] = [
            "form_token": token, "code": code, "person": user.name, "email": user.email, "minimum": console.passwords.minimumLength,
        ]
        for (field, text) in errors { view["error_\(field)"] = text }
        return pages.page("welcome", title: "Пароль для входа", view: view, session: nil, status: status, headers: cookie)
    }

    func setPassword(_ request: Request, _ context: APIContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let form = try await ConsoleForm.read(request)
        guard Self.carriesFormCookieToken(request, form["form_token"]) else { return forbidden(nil) }
        guard let user = try await accounts.linkHolder(code: code) else { return invalidLink() }
        let password = form["password"]
        if let refusal = console.passwords.refusal(of: password, email: user.email, name: user.name) {
            return passwordForm(request, user: user, code: code, errors: ["password": refusal], status: .unprocessableContent)
        }
        guard password == form["repeat"] else {
            return passwordForm(request, user: user, code: code, errors: ["repeat": "Пароли не совпадают."], status: .unprocessableContent)
        }
        guard let updated = try await accounts.setPassword(code: code, hash: try await hasher.hash(password)) else { return invalidLink() }
        let grant = try await accounts.startSession(userID: updated.id, address: context.remoteAddress)
        return ConsolePages.redirect(
            to: "/",
            cookies: [
                ConsoleCookies.set(ConsoleCookies.session, grant.token, secure: console.secureCookies),
                ConsoleCookies.clear(ConsoleCookies.form, secure: console.secureCookies),
            ])
    }

    func invalidLink() -> Response {
        message(
            nil, title: "Ссылка недействительна",
            text: "Ссылка уже использована или её срок истёк. Попросите администратора прислать новую.", status: .notFound)
    }

    /// The form cookie's token, made (and set) when the browser has none yet.
    func formToken(_ request: Request) -> (String, HTTPFields) {
        if let existing = ConsoleCookies.value(ConsoleCookies.form, in: request), existing.count >= 32 { return (existing, [:]) }
        let token = ConsoleToken.random()
        return (token, [.setCookie: ConsoleCookies.set(ConsoleCookies.form, token, secure: console.secureCookies)])
    }
}
