import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Accreditation from the dealer's card: the dry run against a profile (every criterion met, unmet
/// or without data, as `POST /v1/accreditation/evaluate` answers), the decision by the profile, and
/// for the head of sales an override with a reason. The store decides and records, as for the API.
extension ConsoleController {
    static let accreditors: Set<Role> = [.admin, .manager]

    func accreditationPage(
        _ session: ConsoleSession, request: Request, context: APIContext, errors: [String: String] = [:], status: HTTPResponse.Status = .ok,
        reason: String = ""
    ) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        let profiles = api.profiles.profiles
        let chosen = request.uri.queryParameters.get("profile") ?? profiles.first?.name ?? ""
        guard let profile = profiles.first(where: { $0.name == chosen }) ?? profiles.first else {
            return message(session, title: "Аккредитация", text: "Нет ни одного профиля аккредитации (Config/profiles).", status: .conflict)
        }
        let today = store.calendar.today
        let facts = try await store.accreditationFacts(dealerID: dealer.id, today: today, paymentHistoryMonths: profile.paymentHistoryMonths)
        let evaluation = profile.evaluate(facts, today: today)
        var view: [String: Any] = [
            "dealer": ["id": dealer.id.lowercased, "name": dealer.name, "code": dealer.code, "status": dealer.status.russianName],
            "profiles": profiles.map {
                ["value": $0.name, "label": "\($0.title) (\($0.version))", "selected": $0.name == profile.name] as [String: Any]
            },
            "profile": profile.name,
            "decision": ConsoleText.decision(evaluation.decision), "passes": evaluation.decision == .accredited,
            "score": ScorecardText.decimal(evaluation.score), "pass_mark": ScorecardText.decimal(evaluation.passMark),
            "max_score": ScorecardText.decimal(evaluation.maxScore), "explanation": evaluation.explanation,
            "criteria": evaluation.results.map { result in
                [
                    "title": result.title, "required": result.required, "seen": result.seen ?? "нет данных",
                    "outcome": result.outcome == .met ? "выполнено" : result.outcome == .unmet ? "не выполнено" : "нет данных",
                    "met": result.outcome == .met, "unmet": result.outcome == .unmet, "knock_out": result.knockOut,
                    "points": ScorecardText.decimal(result.points),
                ] as [String: Any]
            },
            "may_override": try await speaksAsHeadOfSales(session), "reason": reason, "any_errors": !errors.isEmpty,
        ]
        for (field, text) in errors { view["error_\(field.replacingOccurrences(of: ".", with: "_"))"] = text }
        return pages.page("accreditation", title: "Аккредитация: \(dealer.name)", view: view, session: session, status: status)
    }

    func decideAccreditation(_ session: ConsoleSession, form: ConsoleForm, request: Request, context: APIContext) async throws -> Response {
        let dealer = try await visibleDealer(session, context: context)
        guard let profile = api.profiles.profiles.first(where: { $0.name == form["profile"] }) else {
            return try await accreditationPage(
                session, request: request, context: context, errors: ["profile": "Выберите профиль."], status: .unprocessableContent)
        }
        var override: AccreditationOverride?
        if form["kind"] == "override" {
            do {
                override = try AccreditationOverride.validate(decision: form["decision"], reason: form["reason"])
            } catch {
                var errors: [String: String] = [:]
                for issue in error.issues {
                    errors[issue.field] =
                        issue.field == "override.reason" ? "Укажите основание: оно остаётся в решении и в журнале." : "Выберите решение."
                }
                return try await accreditationPage(
                    session, request: request, context: context, errors: errors, status: .unprocessableContent, reason: form["reason"])
            }
        }
        do {
            _ = try await store.accredit(
                dealerID: dealer.id, profile: profile, override: override, by: session.user.caller, companyTimeZone: store.calendar.timeZone)
        } catch DomainError.forbidden {
            return message(
                session, title: "Решение не принято", text: "Решение вопреки профилю принимает только руководитель отдела продаж.", status: .forbidden
            )
        }
        return ConsolePages.redirect(to: "/dealers/\(dealer.id.lowercased)?done=decided")
    }
}
