import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The head of sales' board (`/`): the network's receivables, the dealers over or near their limit,
/// the late-rhythm list and the accreditation pipeline, each from the same queries as the API.
/// A manager under `auth.manager_scope: own` sees his own dealers only.
extension ConsoleController {
    func board(_ session: ConsoleSession) async throws -> Response {
        let visibility = DealerVisibility.of(session.user.caller, scope: api.managerScope)
        var everything = ReceivablesQuery(limit: 1)
        everything.visibility = visibility
        let totals = try await store.receivablesList(everything).totals
        var breachedQuery = ReceivablesQuery(state: .breached, sort: .utilization, limit: 10)
        breachedQuery.visibility = visibility
        let breached = try await store.receivablesList(breachedQuery)
        var warningQuery = ReceivablesQuery(state: .warning, sort: .utilization, limit: 10)
        warningQuery.visibility = visibility
        let warning = try await store.receivablesList(warningQuery)
        var lateFilter = RhythmFilter(status: .late)
        lateFilter.visibility = visibility
        let late = try await store.rhythmPage(today: store.calendar.today, settings: api.rhythm, filter: lateFilter, cursor: nil, limit: 10)
        let counts = try await accounts.dealerCounts(visibility: visibility)
        let today = store.calendar.today
        let blocked = try await accounts.eventCount(
            .creditShipmentBlocked, since: today.start(in: store.calendar.timeZone), visibility: visibility)
        let lastMonth = PlanPeriod.month(of: today).previous
        var actsQuery = ActQuery(from: lastMonth.firstDay, to: lastMonth.lastDay, limit: PageSize.maximum)
        actsQuery.visibility = visibility
        var actCounts: [ActStatus: Int] = [:]
        while true {
            let page = try await store.acts(actsQuery)
            for act in page.items { actCounts[act.status, default: 0] += 1 }
            guard let next = page.nextCursor else { break }
            actsQuery.cursor = next
        }
        let plans = try await store.planFulfillment(
            period: .month(of: today), groupBy: .manager, today: today, currency: api.credit.currency,
            minElapsedDays: api.plans.minElapsedDays, visibility: visibility)

        let limits = (breached.lines + warning.lines).map(Self.limitRow)
        var view: [String: Any] = [
            "today": store.calendar.today.russian,
            "any_limits": !limits.isEmpty, "any_late": !late.items.isEmpty,
            "totals": totals.map { total in
                [
                    "currency": total.currency.code, "dealers": RussianText.plural(total.dealers, "дилер", "дилера", "дилеров"),
                    "balance": ConsoleText.money(total.balance, total.currency),
                    "overdue": ConsoleText.money(total.overdue, total.currency),
                ] as [String: Any]
            },
            "breached_count": breached.totals.reduce(0) { $0 + $1.dealers },
            "warning_count": warning.totals.reduce(0) { $0 + $1.dealers },
            "limits": limits,
            "late": late.items.map { rhythm in
                [
                    "id": rhythm.dealerID.lowercased, "code": rhythm.code, "name": rhythm.name, "days_late": rhythm.assessment.daysLate,
                    "last_shipment": ConsoleText.date(rhythm.assessment.lastShipment),
                    "interval": rhythm.assessment.expectedInterval.map { RussianText.days($0) } ?? "—",
                ] as [String: Any]
            },
            "blocked_today": blocked,
            "acts_period": ConsoleText.month(lastMonth), "acts_period_code": lastMonth.description,
            "acts": ActStatus.allCases.map { status in
                ["status": status.rawValue, "name": ConsoleText.actStatus(status), "count": actCounts[status] ?? 0] as [String: Any]
            },
            "plan_chart": PlanChart.svg(plans),
            "plan_month": ConsoleText.month(.month(of: today)),
            "plan_rows": plans.lines.map { line in
                [
                    "name": line.name ?? "без менеджера", "plan": ConsoleText.money(line.figures.planMinor, plans.currency),
                    "fact": ConsoleText.money(line.figures.factMinor, plans.currency),
                    "percent": line.figures.planMinor > 0
                        ? (ExactShare.percent(line.figures.factMinor, of: line.figures.planMinor).map { "\($0) %" } ?? "—") : "—",
                ] as [String: Any]
            },
            "any_plans": !plans.lines.isEmpty,
            "pipeline": DealerStatus.allCases.map { status in
                ["status": status.rawValue, "name": status.russianName, "count": counts[status] ?? 0] as [String: Any]
            },
        ]
        if try await mayReadRanking(session) {
            let cards = try await store.scorecards(
                period: .month(of: store.calendar.today), schemes: api.kpiSchemes, deadlines: api.acts.deadlines
            ).cards
            view["ranking"] = cards.enumerated().map { index, card in
                [
                    "rank": index + 1, "name": card.manager.name, "points": ScorecardText.decimal(Percent.rounded(card.scorecard.points, places: 1)),
                    "bonus": ScorecardText.money(card.scorecard.bonusMinor),
                ] as [String: Any]
            }
            view["any_ranking"] = !cards.isEmpty
            view["month"] = ConsoleText.month(.month(of: store.calendar.today))
        }
        return pages.page("board", title: "Сводка по дилерской сети", view: view, session: session)
    }

    /// Bonuses are private: the ranking is for admins, accountants and the head of sales, as in the API.
    func mayReadRanking(_ session: ConsoleSession) async throws -> Bool {
        switch session.user.role {
        case .admin, .accountant: return true
        case .manager:
            guard let managerID = session.user.managerID else { return false }
            let manager = try await store.manager(id: managerID)
            return manager.active && manager.role == .head
        case .viewer, .integration, .dealer: return false
        }
    }

    static func limitRow(_ line: ReceivablesLine) -> [String: Any] {
        let percent = line.utilizationPercent ?? 0
        return [
            "id": line.dealerID.lowercased, "code": line.code, "name": line.name, "has_limit": line.limit != nil,
            "balance": ConsoleText.money(line.balance, line.currency),
            "limit": line.limit.map { ConsoleText.money($0, line.currency) } ?? "—", "percent": percent,
            // The bar is drawn to its share of the limit, capped at the full width.
            "bar": min(max(percent, 0), 100), "breached": line.creditState == .breached,
        ]
    }
}
