import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The web console and the dealer cabinet: server-rendered pages in Russian over the same stores
/// and rules as the API, acting as the signed-in person.
///
/// Every page needs a live session (else 303 to `/sign-in`) and one of its roles: a dealer user who
/// reaches for a staff page or another dealer's act gets 404, as if it did not exist. Every POST
/// carries the session's CSRF token (before sign-in, the form cookie's) and is refused with 403
/// without it or from another origin.
struct ConsoleController: Sendable {
    let store: Store
    let accounts: ConsoleStore
    let pages: ConsolePages
    let api: APISettings
    let hasher: PasswordHasher

    var console: ConsoleSettings { api.console }

    static let staff: Set<Role> = [.admin, .manager, .accountant, .viewer]

    func register(on router: Router<APIContext>) {
        router.get("/console/:asset") { _, context in pages.asset(context.parameters.get("asset") ?? "") }
        router.get("/sign-in") { request, _ in signInForm(request) }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.get("/forgot") { request, _ in forgotForm(request) }
        router.post("/forgot") { request, context in try await forgot(request, context) }
        router.get("/welcome/:code") { request, context in try await welcomeForm(request, context) }
        router.post("/welcome/:code") { request, context in try await setPassword(request, context) }
        router.get("/act-answer/:code") { request, context in try await actAnswerPage(request, context) }
        router.post("/act-answer/:code/confirm") { request, context in try await actAnswerConfirm(request, context) }
        router.get("/act-answer/:code/dispute") { request, context in try await actAnswerDisputeForm(request, context) }
        router.post("/act-answer/:code/dispute") { request, context in try await actAnswerDispute(request, context) }
        router.get("/act-answer/:code/act.pdf") { request, context in try await actAnswerPDF(request, context) }
        router.post("/sign-out") { request, context in
            try await action(request, context, roles: Set(Role.allCases)) { _, _ in
                if let token = ConsoleCookies.value(ConsoleCookies.session, in: request) { try await accounts.endSession(token: token) }
                return ConsolePages.redirect(to: "/sign-in", cookies: [ConsoleCookies.clear(ConsoleCookies.session, secure: console.secureCookies)])
            }
        }
        router.get("/") { request, context in
            try await page(request, context, roles: Self.staff) { session in try await board(session) }
        }
        router.get("/desk") { request, context in
            try await page(request, context, roles: [.manager]) { session in try await desk(session) }
        }
        router.get("/dealers") { request, context in
            try await page(request, context, roles: Self.staff) { session in try await dealerList(session, request: request) }
        }
        router.get("/dealers/:id") { request, context in
            try await page(request, context, roles: Self.staff) { session in try await dealerCard(session, request: request, context: context) }
        }
        router.get("/dealers/:id/edit") { request, context in
            try await page(request, context, roles: Self.dealerEditors) { session in try await dealerEditForm(session, context: context) }
        }
        router.post("/dealers/:id/edit") { request, context in
            try await action(request, context, roles: Self.dealerEditors) { session, form in
                try await updateDealer(session, form: form, context: context)
            }
        }
        router.get("/dealers/:id/promises/new") { request, context in
            try await page(request, context, roles: Self.promiseRecorders) { session in try await promiseForm(session, context: context) }
        }
        router.post("/dealers/:id/promises") { request, context in
            try await action(request, context, roles: Self.promiseRecorders) { session, form in
                try await recordPromise(session, form: form, context: context)
            }
        }
        router.post("/dealers/:id/promises/:promise_id/cancel") { request, context in
            try await action(request, context, roles: Self.promiseRecorders) { session, _ in try await cancelPromise(session, context: context) }
        }
        router.post("/dealers/:id/telegram-link") { request, context in
            try await action(request, context, roles: Self.contactLinkers) { session, form in
                let dealer = try await visibleDealer(session, context: context)
                return try await makeContactLink(session, dealer: dealer, form: form, back: "/dealers/\(dealer.id.lowercased)")
            }
        }
        router.post("/dealers/:id/telegram/unlink") { request, context in
            try await action(request, context, roles: Self.contactLinkers) { session, form in
                let dealer = try await visibleDealer(session, context: context)
                return try await unlinkContact(session, dealer: dealer, form: form, back: "/dealers/\(dealer.id.lowercased)")
            }
        }
        router.post("/cabinet/telegram-link") { request, context in
            try await action(request, context, roles: [.dealer]) { session, form in
                try await makeContactLink(session, dealer: try await cabinetDealer(session), form: form, back: "/cabinet")
            }
        }
        router.post("/cabinet/telegram/unlink") { request, context in
            try await action(request, context, roles: [.dealer]) { session, form in
                try await unlinkContact(session, dealer: try await cabinetDealer(session), form: form, back: "/cabinet")
            }
        }
        router.get("/dealers/:id/accreditation") { request, context in
            try await page(request, context, roles: Self.accreditors) { session in
                try await accreditationPage(session, request: request, context: context)
            }
        }
        router.post("/dealers/:id/accreditation") { request, context in
            try await action(request, context, roles: Self.accreditors) { session, form in
                try await decideAccreditation(session, form: form, request: request, context: context)
            }
        }
        router.get("/ledger/import") { request, context in
            try await page(request, context, roles: Self.importers) { session in importForm(session) }
        }
        router.post("/ledger/import") { request, context in
            guard let session = try await session(of: request) else { return ConsolePages.redirect(to: "/sign-in") }
            guard Self.importers.contains(session.user.role) else { return notFound(session) }
            return try await rendering(session, context) { try await importLedger(session, request: request, context: context) }
        }
        router.get("/reports/ageing") { request, context in
            try await page(request, context, roles: Self.staff) { session in try await ageing(session, request: request) }
        }
        router.get("/cabinet") { request, context in
            try await page(request, context, roles: [.dealer]) { session in try await cabinet(session, request: request) }
        }
        router.get("/cabinet/acts/:id") { request, context in
            try await page(request, context, roles: [.dealer]) { session in try await actPage(session, context: context) }
        }
        router.get("/cabinet/acts/:id/act.pdf") { request, context in
            try await page(request, context, roles: [.dealer]) { session in try await actPDF(session, try await ownAct(session, context: context)) }
        }
        router.get("/cabinet/acts/:id/dispute") { request, context in
            try await page(request, context, roles: [.dealer]) { session in try await disputeForm(session, context: context) }
        }
        router.post("/cabinet/acts/:id/dispute") { request, context in
            try await action(request, context, roles: [.dealer]) { session, form in try await dispute(session, form: form, context: context) }
        }
        router.get("/acts") { request, context in
            try await page(request, context, roles: Self.actReaders) { session in try await actList(session, request: request) }
        }
        router.get("/acts/:id") { request, context in
            try await page(request, context, roles: Self.actReaders) { session in try await actDetail(session, context: context) }
        }
        router.get("/acts/:id/act.pdf") { request, context in
            try await page(request, context, roles: Self.actReaders) { session in
                try await actPDF(session, try await visibleAct(session, context: context))
            }
        }
        router.get("/acts/:id/print") { request, context in
            try await page(request, context, roles: Self.actReaders) { session in try await actPrint(session, context: context) }
        }
        router.get("/admin/users") { request, context in
            try await page(request, context, roles: Self.operators) { session in try await usersPage(session) }
        }
        router.post("/admin/users") { request, context in
            try await action(request, context, roles: Self.operators) { session, form in try await invite(session, form: form, request: request) }
        }
        router.post("/admin/users/:id/link") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await newLink(session, context: context, request: request) }
        }
        router.post("/admin/users/:id/disable") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await disableUser(session, context: context) }
        }
        router.get("/admin/keys") { request, context in
            try await page(request, context, roles: Self.operators) { session in try await keysPage(session) }
        }
        router.post("/admin/keys/:id/revoke") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await revokeKey(session, context: context) }
        }
        router.get("/admin/webhooks") { request, context in
            try await page(request, context, roles: Self.operators) { session in try await webhooksPage(session, request: request) }
        }
        router.post("/admin/webhooks/deliveries/:id/redeliver") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await redeliverWebhook(session, context: context) }
        }
        router.get("/admin/config") { request, context in
            try await page(request, context, roles: Self.operators) { session in configPage(session) }
        }
        router.get("/admin/jobs") { request, context in
            try await page(request, context, roles: Self.operators) { session in try await jobsPage(session, request: request) }
        }
        router.post("/admin/jobs/:name/run") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await runJob(session, context: context) }
        }
        router.get("/admin/notifications") { request, context in
            try await page(request, context, roles: Self.operators) { session in try await notificationLog(session, request: request) }
        }
        router.post("/admin/notifications/:id/redeliver") { request, context in
            try await action(request, context, roles: Self.operators) { session, _ in try await redeliverNotification(session, context: context) }
        }
        router.post("/cabinet/acts/:id/confirm") { request, context in
            try await action(request, context, roles: [.dealer]) { session, _ in try await confirmAct(session, context: context) }
        }
    }

    // MARK: - Guards

    /// The live session behind the request's cookie, if any.
    func session(of request: Request) async throws -> ConsoleSession? {
        guard let token = ConsoleCookies.value(ConsoleCookies.session, in: request) else { return nil }
        return try await accounts.session(token: token, policy: console.session)
    }

    /// A page for these roles: the sign-in page without a session, the person's own home for the
    /// home of another role, 404 for anything else of another role.
    func page(
        _ request: Request, _ context: APIContext, roles: Set<Role>, _ body: (ConsoleSession) async throws -> Response
    ) async throws -> Response {
        guard let session = try await session(of: request) else {
            return ConsolePages.redirect(to: "/sign-in?next=" + Self.encodedPath(request.uri.path))
        }
        guard roles.contains(session.user.role) else {
            if request.uri.path == "/" { return ConsolePages.redirect(to: "/cabinet") }
            if request.uri.path == "/cabinet" { return ConsolePages.redirect(to: "/") }
            return notFound(session)
        }
        return try await rendering(session, context) { try await body(session) }
    }

    /// A form's POST for these roles: as `page`, and the CSRF token and origin checked first.
    func action(
        _ request: Request, _ context: APIContext, roles: Set<Role>, _ body: (ConsoleSession, ConsoleForm) async throws -> Response
    ) async throws -> Response {
        guard let session = try await session(of: request) else { return ConsolePages.redirect(to: "/sign-in") }
        let form = try await ConsoleForm.read(request)
        guard Self.sameOrigin(request), ConsoleToken.same(form["csrf"], session.csrf) else { return forbidden(session) }
        guard roles.contains(session.user.role) else { return notFound(session) }
        return try await rendering(session, context) { try await body(session, form) }
    }

    /// The handler's page, or the error page a person can read: 404 for what is not theirs or not
    /// there, 409 for a move the state does not allow, 500 (logged) for anything else.
    func rendering(_ session: ConsoleSession, _ context: APIContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as DomainError {
            switch error {
            case .notFound: return notFound(session)
            default: return message(session, title: "Действие невозможно", text: Problem.domain(error).detail ?? "", status: .conflict)
            }
        } catch let error as ValidationError {
            return message(
                session, title: "Неверные данные", text: error.issues.map(\.message).joined(separator: "; "), status: .unprocessableContent)
        } catch {
            context.logger.error("console page failed", metadata: ["error": .string(String(describing: error))])
            return message(session, title: "Что-то пошло не так", text: "Ошибка записана в журнал. Попробуйте ещё раз.", status: .internalServerError)
        }
    }

    func notFound(_ session: ConsoleSession?) -> Response {
        message(session, title: "Страница не найдена", text: "Такой страницы нет или она вам недоступна.", status: .notFound)
    }

    func forbidden(_ session: ConsoleSession?) -> Response {
        message(
            session, title: "Форма устарела", text: "Запрос пришёл без действующей метки формы. Обновите страницу и повторите.", status: .forbidden)
    }

    func message(_ session: ConsoleSession?, title: String, text: String, status: HTTPResponse.Status) -> Response {
        pages.page("message", title: title, view: ["heading": title, "text": text], session: session, status: status)
    }

    /// A POST from a page of ours: its `Origin` (sent by every current browser on a POST), when
    /// present, names this host; a cross-site fetch is refused even before the token is compared.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site") ?? .origin], site == "cross-site" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority ?? request.headers[HTTPField.Name("Host") ?? .origin] else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// A path of ours to come back to after sign-in; anything else (another site, `//host`) goes home.
    static func safeReturnPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), !text.contains("\r"), !text.contains("\n") else {
            return "/"
        }
        return text
    }

    static func encodedPath(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))) ?? "/"
    }
}
