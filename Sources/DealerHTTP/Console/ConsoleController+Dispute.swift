import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Who answers an act from the console, and where its forms go: a dealer user signed in to the
/// cabinet, or the addressee of the act's letter through the link in it.
struct ActAnswerer {
    var caller: Caller
    var session: ConsoleSession?
    /// The act's path: `/cabinet/acts/ID` or `/act-answer/CODE`.
    var base: String
    /// The token the forms carry: the session's, or the form cookie's (set by `headers`).
    var csrf: String
    var headers: HTTPFields = [:]
    /// Where a person goes after answering.
    var done: String

    static func cabinet(_ session: ConsoleSession, act: ReconciliationAct) -> ActAnswerer {
        ActAnswerer(
            caller: session.user.caller, session: session, base: "/cabinet/acts/\(act.id.lowercased)", csrf: session.csrf, done: "/cabinet")
    }
}

/// A dealer disputes its act from the cabinet or from its letter's link: the lines where its books
/// differ, and its closing balance. The form is checked by the API's own rules
/// (`DisputeRequest.validated`) and answered through the same `answerAct`, as the person; a refusal
/// is shown by its field.
extension ConsoleController {
    static let disputeRows = 5

    func disputeForm(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let act = try await ownAct(session, context: context)
        return disputeForm(.cabinet(session, act: act), act: act)
    }

    func dispute(_ session: ConsoleSession, form: ConsoleForm, context: APIContext) async throws -> Response {
        let act = try await ownAct(session, context: context)
        return try await dispute(.cabinet(session, act: act), act: act, form: form)
    }

    func disputeForm(_ answerer: ActAnswerer, act: ReconciliationAct) -> Response {
        guard act.status == .generated || act.status == .sent else { return answered(answerer.session, act) }
        return disputePage(answerer, act: act, form: ConsoleForm(fields: [:]), errors: [:], status: .ok)
    }

    func dispute(_ answerer: ActAnswerer, act: ReconciliationAct, form: ConsoleForm) async throws -> Response {
        guard act.status == .generated || act.status == .sent else { return answered(answerer.session, act) }
        var lines: [DisputeRequest.Line] = []
        var rowOfLine: [Int] = []
        for row in 0..<Self.disputeRows {
            let document = form["document_\(row)"].trimmingCharacters(in: .whitespaces)
            let theirs = form["theirs_\(row)"].trimmingCharacters(in: .whitespaces)
            let ours = form["ours_\(row)"].trimmingCharacters(in: .whitespaces)
            let comment = form["comment_\(row)"].trimmingCharacters(in: .whitespaces)
            guard !(document.isEmpty && theirs.isEmpty && ours.isEmpty && comment.isEmpty) else { continue }
            lines.append(
                DisputeRequest.Line(
                    document: document.isEmpty ? nil : document, ours: ours.isEmpty ? nil : AmountText(ours),
                    theirs: theirs.isEmpty ? nil : AmountText(theirs), comment: comment.isEmpty ? nil : comment))
            rowOfLine.append(row)
        }
        let closing = form["closing"].trimmingCharacters(in: .whitespaces)
        let request = DisputeRequest(closing: closing.isEmpty ? nil : AmountText(closing), discrepancies: lines)
        let currency = Currency(code: act.statement.currency) ?? api.credit.currency
        do {
            let (dealerClosing, discrepancies) = try request.validated(currency: currency)
            _ = try await store.answerAct(
                id: act.id, confirmed: false, dealerClosingMinor: dealerClosing, discrepancies: discrepancies, by: answerer.caller)
        } catch let error as ValidationError {
            var errors: [String: String] = [:]
            for issue in error.issues {
                // `discrepancies[2].theirs` is the form's row of the third filled line.
                let field: String
                if let match = issue.field.wholeMatch(of: /discrepancies\[(\d+)\]\.(\w+)/), let index = Int(match.output.1),
                    rowOfLine.indices.contains(index)
                {
                    field = "\(match.output.2)_\(rowOfLine[index])"
                } else {
                    field = issue.field
                }
                if errors[field] == nil { errors[field] = Self.disputeMessage(issue.message) }
            }
            return disputePage(answerer, act: act, form: form, errors: errors, status: .unprocessableContent)
        }
        return ConsolePages.redirect(to: answerer.done + "?done=disputed")
    }

    func disputePage(
        _ answerer: ActAnswerer, act: ReconciliationAct, form: ConsoleForm, errors: [String: String], status: HTTPResponse.Status
    ) -> Response {
        let currency = Currency(code: act.statement.currency) ?? .rub
        let rows: [[String: Any]] = (0..<Self.disputeRows).map { row in
            var entry: [String: Any] = ["row": row, "number": row + 1]
            for field in ["document", "ours", "theirs", "comment"] {
                entry[field] = form["\(field)_\(row)"]
                if let error = errors["\(field)_\(row)"] { entry["\(field)_error"] = error }
            }
            return entry
        }
        var view: [String: Any] = [
            "id": act.id.lowercased, "number": act.number, "from": act.statement.from.russian, "to": act.statement.to.russian,
            "closing_ours": ConsoleText.money(act.statement.closingMinor, currency), "closing": form["closing"],
            "lines": act.statement.lines.map { line in
                [
                    "date": line.date.russian, "document": line.document,
                    "debit": line.debitMinor == 0 ? "" : ConsoleText.money(line.debitMinor, currency),
                    "credit": line.creditMinor == 0 ? "" : ConsoleText.money(line.creditMinor, currency),
                ]
            },
            "rows": rows, "any_errors": !errors.isEmpty, "action": answerer.base + "/dispute", "cancel": answerer.done,
            "csrf": answerer.csrf,
        ]
        if let error = errors["closing"] { view["closing_error"] = error }
        if let error = errors["discrepancies"] { view["lines_error"] = error }
        return pages.page(
            "dispute", title: "Разногласия по акту \(act.number)", view: view, session: answerer.session, status: status, headers: answerer.headers)
    }

    func answered(_ session: ConsoleSession?, _ act: ReconciliationAct) -> Response {
        message(
            session, title: "Акт уже не ждёт ответа", text: "Акт \(act.number): \(ConsoleText.actStatus(act.status).lowercased()).",
            status: .conflict)
    }

    static func disputeMessage(_ message: String) -> String {
        if message.hasPrefix("a dispute lists at least one line") { return "Укажите хотя бы одну строку, в которой ваши данные расходятся с нашими." }
        if message.hasPrefix("required: the document") { return "Укажите документ." }
        if message.hasPrefix("required: the amount by the dealer") { return "Укажите сумму по вашим данным." }
        if message.hasPrefix("at most") { return "Не больше \(FNSRecipientTitle.maximumDifferences) строк." }
        return "Сумма не распознана: пишите как 125 000,50."
    }
}

extension AmountText {
    init(_ text: String) {
        self.text = text
    }
}
