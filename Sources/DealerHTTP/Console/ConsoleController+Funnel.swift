import DealerCore
import DealerStore
import Foundation

/// The sales funnel on the desk: the manager's own deals this month, the department's for the head
/// of sales; the figures `GET /v1/funnel` answers.
extension ConsoleController {
    func funnelView(managerID: UUID, role: SalesRole) async throws -> [String: Any] {
        let period = PlanPeriod.month(of: store.calendar.today)
        let funnel = try await store.funnel(period: period, managerID: role == .head ? nil : managerID, settings: api.deals)
        let currency = api.credit.currency
        guard funnel.inWork + funnel.opened + funnel.won + funnel.lost > 0 else { return ["funnel_empty": true] }
        func percent(_ value: Decimal?) -> String { value.map { ScorecardText.decimal($0) + " %" } ?? "—" }
        return [
            "funnel": [
                "scope": role == .head ? "отдела" : "мои",
                "in_work": funnel.inWork, "in_work_amount": ConsoleText.money(funnel.inWorkMinor, currency),
                "won": funnel.won, "won_amount": ConsoleText.money(funnel.wonMinor, currency), "lost": funnel.lost,
                "win_rate": percent(funnel.winRatePercent),
                "average": funnel.averageDealMinor.map { ConsoleText.money($0, currency) } ?? "—",
                "days": funnel.medianDaysToClose.map { ScorecardText.decimal($0) } ?? "—",
                "stages": funnel.stages.map { stage in
                    [
                        "title": stage.title, "in_work": stage.inWork, "amount": ConsoleText.money(stage.inWorkMinor, currency),
                        "reached": stage.reached, "conversion": percent(stage.conversionPercent),
                    ] as [String: Any]
                },
                "reasons": funnel.lostReasons.prefix(3).map { ["reason": $0.reason, "deals": $0.deals] as [String: Any] },
                "any_reasons": !funnel.lostReasons.isEmpty,
            ] as [String: Any]
        ]
    }
}
