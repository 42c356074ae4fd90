import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dealer's cabinet: its own balance, limit and available credit, ageing and open documents,
/// and its reconciliation acts to read, print and confirm. Everything is read for the session's
/// dealer; another dealer's act is a 404, as the API's dealer key gets.
extension ConsoleController {
    func cabinet(_ session: ConsoleSession, request: Request) async throws -> Response {
        guard let dealerID = session.user.dealerID else { return notFound(session) }
        let dealer = try await store.dealer(id: dealerID)
        let receivables = try await store.receivables(dealerID: dealerID, defaults: api.credit, today: store.calendar.today)
        let acts = try await store.acts(ActQuery(dealerID: dealerID, limit: 24)).items
        var view = Self.positionView(receivables)
        view["dealer"] = ["code": dealer.code, "name": dealer.name]
        view.merge(try await documentsView(dealerID: dealerID)) { $1 }
        view.merge(try await disciplineView(dealerID: dealerID)) { $1 }
        view.merge(try await contactsView(dealer, base: "/cabinet", canLink: true)) { $1 }
        view["acts"] = acts.map(Self.actRow)
        view["any_acts"] = !acts.isEmpty
        switch request.uri.queryParameters.get("done") {
        case "confirmed": view["flash"] = "Акт подтверждён. Спасибо!"
        case "disputed": view["flash"] = "Разногласия отправлены: бухгалтерия свяжется с вами."
        case "telegram_unlinked": view["flash"] = "Telegram отключён: уведомления этому сотруднику снова приходят письмом."
        default: break
        }
        return pages.page("cabinet", title: "Кабинет дилера", view: view, session: session)
    }

    func actPage(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        Self.printable(try await ownAct(session, context: context))
    }

    func confirmAct(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let act = try await ownAct(session, context: context)
        guard act.status == .generated || act.status == .sent else {
            return message(
                session, title: "Акт уже не ждёт ответа", text: "Акт \(act.number): \(ConsoleText.actStatus(act.status).lowercased()).",
                status: .conflict)
        }
        _ = try await store.answerAct(id: act.id, confirmed: true, dealerClosingMinor: nil, discrepancies: [], by: session.user.caller)
        return ConsolePages.redirect(to: "/cabinet?done=confirmed")
    }

    /// The session dealer's act named by the path; another dealer's, or none, is not found.
    func ownAct(_ session: ConsoleSession, context: APIContext) async throws -> ReconciliationAct {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { throw DomainError.notFound(entity: "reconciliation act", id: text) }
        let act = try await store.act(id: id)
        guard act.dealerID == session.user.dealerID else { throw DomainError.notFound(entity: "reconciliation act", id: text) }
        return act
    }
}
