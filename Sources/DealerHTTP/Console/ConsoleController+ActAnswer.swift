import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// The act from its letter, without an account: the link's code names one act and the address the
/// letter went to, who confirms it or names the differences there. The answer lands through the
/// same `answerAct` as the API's, as that address, for that dealer only. The forms carry the form
/// cookie's token, as the sign-in form does.
extension ConsoleController {
    /// The link's act and who answers through it; nil for an unknown or expired code.
    func linkedAct(_ request: Request, _ context: APIContext) async throws -> (ReconciliationAct, ActAnswerer)? {
        let code = context.parameters.get("code") ?? ""
        guard !code.isEmpty, let link = try await NotificationStore(store).actAnswerLink(code: code) else { return nil }
        let act = try await store.act(id: link.actID)
        let (token, cookie) = formToken(request)
        let answerer = ActAnswerer(
            caller: Caller(name: link.address, role: .dealer, dealerID: act.dealerID), session: nil, base: "/act-answer/\(code)", csrf: token,
            headers: cookie, done: "/act-answer/\(code)")
        return (act, answerer)
    }

    func actAnswerPage(_ request: Request, _ context: APIContext) async throws -> Response {
        guard let (act, answerer) = try await linkedAct(request, context) else { return expiredActLink() }
        let currency = Currency(code: act.statement.currency) ?? api.credit.currency
        let money = { (minor: Int64) in ConsoleText.money(minor, currency) }
        var view: [String: Any] = [
            "number": act.number, "from": act.statement.from.russian, "to": act.statement.to.russian,
            "company": act.statement.company.name, "dealer": act.statement.dealer.name, "status": ConsoleText.actStatus(act.status),
            "opening": money(act.statement.openingMinor), "debit": money(act.statement.debitTurnoverMinor),
            "credit": money(act.statement.creditTurnoverMinor), "closing": money(act.statement.closingMinor),
            "answerable": act.status == .generated || act.status == .sent, "base": answerer.base, "csrf": answerer.csrf,
            "lines": act.statement.lines.map { line in
                [
                    "date": line.date.russian, "document": line.document, "debit": line.debitMinor == 0 ? "" : money(line.debitMinor),
                    "credit": line.creditMinor == 0 ? "" : money(line.creditMinor),
                ]
            },
        ]
        switch request.uri.queryParameters.get("done") {
        case "confirmed": view["done"] = "Спасибо! Акт подтверждён."
        case "disputed": view["done"] = "Спасибо! Разногласия отправлены, мы свяжемся с вами."
        default: break
        }
        return pages.page("act-answer", title: "Акт сверки \(act.number)", view: view, session: nil, headers: answerer.headers)
    }

    func actAnswerConfirm(_ request: Request, _ context: APIContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard Self.carriesFormCookieToken(request, form["csrf"]) else { return forbidden(nil) }
        guard let (act, answerer) = try await linkedAct(request, context) else { return expiredActLink() }
        guard act.status == .generated || act.status == .sent else { return answered(nil, act) }
        _ = try await store.answerAct(id: act.id, confirmed: true, dealerClosingMinor: nil, discrepancies: [], by: answerer.caller)
        return ConsolePages.redirect(to: answerer.done + "?done=confirmed")
    }

    func actAnswerDisputeForm(_ request: Request, _ context: APIContext) async throws -> Response {
        guard let (act, answerer) = try await linkedAct(request, context) else { return expiredActLink() }
        return disputeForm(answerer, act: act)
    }

    func actAnswerDispute(_ request: Request, _ context: APIContext) async throws -> Response {
        let form = try await ConsoleForm.read(request)
        guard Self.carriesFormCookieToken(request, form["csrf"]) else { return forbidden(nil) }
        guard let (act, answerer) = try await linkedAct(request, context) else { return expiredActLink() }
        return try await dispute(answerer, act: act, form: form)
    }

    func actAnswerPDF(_ request: Request, _ context: APIContext) async throws -> Response {
        guard let (act, _) = try await linkedAct(request, context) else { return expiredActLink() }
        return try await actPDF(nil, act)
    }

    /// A POST before any session: from our origin, with the form cookie's token in the form.
    static func carriesFormCookieToken(_ request: Request, _ token: String) -> Bool {
        guard sameOrigin(request), let expected = ConsoleCookies.value(ConsoleCookies.form, in: request) else { return false }
        return ConsoleToken.same(token, expected)
    }

    func expiredActLink() -> Response {
        message(
            nil, title: "Ссылка недействительна",
            text: "Срок ссылки истёк или она неверна. Акт можно открыть в личном кабинете или запросить у менеджера заново.", status: .notFound)
    }
}
