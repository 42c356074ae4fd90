import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Promises to pay and payment reminders on the dealer's card: the manager records what the dealer
/// promised through the same `recordPromise` as `POST /v1/dealers/{id}/promises`, as himself, and a
/// refusal is shown next to its field.
extension ConsoleController {
    static let promiseRecorders: Set<Role> = [.admin, .manager, .accountant]

    /// The card's section: the reminders sent, the promises made, and whether reminders wait.
    func dunningView(dealerID: UUID, currency: Currency, role: Role) async throws -> [String: Any] {
        let dunning = try await store.dunning(dealerID: dealerID, settings: api.dunning, limit: 30)
        let promises = try await store.promises(dealerID: dealerID, page: PageRequest(limit: 10)).items
        let zone = store.calendar.timeZone
        var view: [String: Any] = [
            "notices": dunning.notices.map { notice in
                [
                    "document": notice.documentNumber, "due": notice.dueDate.russian, "level": ConsoleText.dunningLevel(notice.level),
                    "open": ConsoleText.money(notice.openMinor, Currency(code: notice.currency) ?? currency), "sent": notice.sentOn.russian,
                ]
            },
            "any_notices": !dunning.notices.isEmpty,
            "promises": promises.map { promise in
                [
                    "id": promise.id.lowercased, "amount": ConsoleText.money(promise.amount.minorUnits, promise.amount.currency),
                    "date": promise.promisedOn.russian,
                    "made": promise.madeOn.russian, "by": promise.madeBy, "note": promise.note ?? "",
                    "status": ConsoleText.promiseStatus(promise.status), "broken": promise.status == .broken,
                    "paid": promise.paid.map { ConsoleText.money($0.minorUnits, $0.currency) } ?? "—",
                    "cancellable": promise.status == .open && Self.promiseRecorders.contains(role),
                    "settled": promise.settledAt.map { RussianText.instant($0, in: zone) } ?? "",
                ] as [String: Any]
            },
            "any_promises": !promises.isEmpty,
            "levels": api.dunning.levels.map(ConsoleText.dunningLevel).joined(separator: ", "),
            "can_promise": Self.promiseRecorders.contains(role) && dunning.promise == nil,
        ]
        if let paused = dunning.pausedUntil { view["paused_until"] = paused.russian }
        return view
    }

    func promiseForm(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        return try await promisePage(session, dealer: dealer, values: [:], errors: [:], status: .ok)
    }

    func recordPromise(_ session: ConsoleSession, form: ConsoleForm, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        var values: [String: String] = [:]
        for field in ["amount", "date", "note"] { values[field] = form[field].trimmingCharacters(in: .whitespacesAndNewlines) }
        do {
            _ = try await store.recordPromise(
                dealerID: dealer.id, PaymentPromiseDraft(amount: values["amount"], date: values["date"], note: values["note"]),
                defaults: api.credit, settings: api.dunning, by: session.user.caller)
        } catch let error as ValidationError {
            var errors: [String: String] = [:]
            for issue in error.issues where errors[issue.field] == nil { errors[issue.field] = ConsoleFieldMessages.russian(issue.message) }
            return try await promisePage(session, dealer: dealer, values: values, errors: errors, status: .unprocessableContent)
        } catch DomainError.conflict(let field, let message) {
            return try await promisePage(
                session, dealer: dealer, values: values, errors: [field: ConsoleFieldMessages.russian(message)], status: .conflict)
        }
        return ConsolePages.redirect(to: "/dealers/\(dealer.id.lowercased)?done=promised#dunning-heading")
    }

    func cancelPromise(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        let text = context.parameters.get("promise_id") ?? ""
        guard let promiseID = UUID(uuidString: text) else { throw DomainError.notFound(entity: "promise", id: text) }
        _ = try await store.cancelPromise(dealerID: dealer.id, promiseID: promiseID, by: session.user.caller)
        return ConsolePages.redirect(to: "/dealers/\(dealer.id.lowercased)?done=promise_cancelled#dunning-heading")
    }

    func promisePage(
        _ session: ConsoleSession, dealer: Dealer, values: [String: String], errors: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        let labels = ["amount": "Сумма, ₽", "date": "Оплатит до", "note": "Комментарий"]
        let fields: [[String: Any]] = ["amount", "date", "note"].map { field in
            var entry: [String: Any] = [
                "field": field, "label": labels[field] ?? field, "value": values[field] ?? "", "note_field": field == "note",
            ]
            if let error = errors[field] { entry["error"] = error }
            return entry
        }
        let today = store.calendar.today
        let view: [String: Any] = [
            "dealer": ["id": dealer.id.lowercased, "name": dealer.name, "code": dealer.code],
            "fields": fields, "any_errors": !errors.isEmpty,
            "hint": "Сегодня \(today.russian); не позже \(today.adding(days: api.dunning.maxPromiseDays).russian).",
        ]
        return pages.page("promise", title: "Обещание оплаты: \(dealer.name)", view: view, session: session, status: status)
    }
}
