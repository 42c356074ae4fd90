import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// A manager's desk (`/desk`): what he has earned so far this month and what would lift it most,
/// his deals' funnel, his dealers with their credit state, and the alerts that reached him. The scorecard is the one
/// `GET /v1/managers/{id}/scorecard` answers; a manager sees his own only.
extension ConsoleController {
    func desk(_ session: ConsoleSession) async throws -> Response {
        guard let managerID = session.user.managerID else {
            return message(
                session, title: "Стол менеджера", text: "Ваша учётная запись не привязана к менеджеру.", status: .notFound)
        }
        let manager = try await store.manager(id: managerID)
        var view: [String: Any] = ["manager": manager.name, "period": ConsoleText.month(PlanPeriod.month(of: store.calendar.today))]
        if api.kpiSchemes[manager.role] != nil, manager.active {
            let cards = try await store.scorecards(
                period: .month(of: store.calendar.today), schemes: api.kpiSchemes, deadlines: api.acts.deadlines
            ).cards
            if let card = cards.first(where: { $0.manager.id == managerID }) { view["card"] = Self.scorecardView(card) }
        }
        view.merge(try await funnelView(managerID: managerID, role: manager.role)) { $1 }
        var mine = ReceivablesQuery(managerID: managerID, sort: .utilization, limit: 50)
        mine.visibility = .managedBy(managerID)
        let dealers = try await store.receivablesList(mine)
        view["dealers"] = dealers.lines.map(Self.limitRow)
        view["any_dealers"] = !dealers.lines.isEmpty
        let alerts = try await NotificationStore(store).messages(NotificationQuery(managerID: managerID, page: PageRequest(limit: 10))).items
        view["alerts"] = alerts.map { message in
            [
                "subject": message.subject, "when": RussianText.instant(message.createdAt, in: store.calendar.timeZone),
                "channel": message.channel == .email ? "e-mail" : "Telegram",
                "status": message.status == .sent ? "доставлено" : message.status == .pending ? "в очереди" : "не доставлено",
            ]
        }
        view["any_alerts"] = !alerts.isEmpty
        return pages.page("desk", title: "Мой стол", view: view, session: session)
    }

    /// A scorecard as the desk and the ranking show it.
    static func scorecardView(_ card: ManagerScorecard) -> [String: Any] {
        [
            "points": ScorecardText.decimal(Percent.rounded(card.scorecard.points, places: 1)),
            "bonus": ScorecardText.money(card.scorecard.bonusMinor),
            "knocked_out": card.scorecard.knockedOut,
            "forecast": card.forecast.map { ScorecardText.money($0.bonusMinor) } ?? "",
            "lines": card.scorecard.lines.map { line in
                [
                    "title": line.kpi.title, "weight": ScorecardText.decimal(Percent.rounded(line.weight, places: 1)),
                    "target": ScorecardText.value(line.target, unit: line.kpi.unit),
                    "fact": ScorecardText.value(line.fact.value, unit: line.kpi.unit),
                    "achievement": line.achievementPercent.map { ScorecardText.decimal(Percent.rounded($0, places: 1)) + " %" } ?? "—",
                    "points": ScorecardText.decimal(Percent.rounded(line.points, places: 1)),
                    // A pushed KPI says who reported it; one not reported yet says so rather than scoring 0 unexplained.
                    "external": line.kpi.isExternal, "source": line.fact.source ?? "нет данных за период",
                ]
            },
            "lifts": card.lifts.prefix(3).map { ["text": ScorecardText.lift($0)] },
            "any_lifts": !card.lifts.isEmpty,
        ]
    }
}
