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
        let today = store.calendar.today
        let lastMonth = PlanPeriod.month(of: today).previous
        // The board's sections are independent reads: they run at once, each on a connection of
        // its own, so the page takes as long as its slowest section rather than their sum.
        async let totals = receivables(ReceivablesQuery(limit: 1), visibility)
        async let breached = receivables(ReceivablesQuery(state: .breached, sort: .utilization, limit: 10), visibility)
        async let warning = receivables(ReceivablesQuery(state: .warning, sort: .utilization, limit: 10), visibility)
        async let late = lateRhythm(visibility, today: today)
        async let counts = accounts.dealerCounts(visibility: visibility)
        async let blocked = accounts.eventCount(.creditShipmentBlocked, since: today.start(in: store.calendar.timeZone), visibility: visibility)
        async let actCounts = accounts.actCounts(period: lastMonth, visibility: visibility)
        async let plans = store.planFulfillment(
            period: .month(of: today), groupBy: .manager, today: today, currency: api.credit.currency,
            minElapsedDays: api.plans.minElapsedDays, visibility: visibility)
        async let ranking = mayReadRanking(session) ? rankingCards(today) : nil
        return boardPage(
            session, totals: try await totals.totals, breached: try await breached, warning: try await warning, late: try await late,
            counts: try await counts, blocked: try await blocked, actCounts: try await actCounts, lastMonth: lastMonth, plans: try await plans,
            ranking: try await ranking)
    }

    func receivables(
        _ query: ReceivablesQuery, _ visibility: DealerVisibility
    ) async throws -> (lines: [ReceivablesLine], totals: [ReceivablesTotal], more: Bool) {
        var query = query
        query.visibility = visibility
        return try await store.receivablesList(query)
    }

    func lateRhythm(_ visibility: DealerVisibility, today: CivilDate) async throws -> Page<DealerRhythm> {
        var filter = RhythmFilter(status: .late)
        filter.visibility = visibility
        return try await store.rhythmPage(today: today, settings: api.rhythm, filter: filter, cursor: nil, limit: 10)
    }

    func rankingCards(_ today: CivilDate) async throws -> [ManagerScorecard] {
        try await store.scorecards(period: .month(of: today), schemes: api.kpiSchemes, deadlines: api.acts.deadlines).cards
    }

    func boardPage(
        _ session: ConsoleSession, totals: [ReceivablesTotal], breached: (lines: [ReceivablesLine], totals: [ReceivablesTotal], more: Bool),
        warning: (lines: [ReceivablesLine], totals: [ReceivablesTotal], more: Bool), late: Page<DealerRhythm>, counts: [DealerStatus: Int],
        blocked: Int, actCounts: [ActStatus: Int], lastMonth: PlanPeriod, plans: PlanFulfillmentReport, ranking: [ManagerScorecard]?
    ) -> Response {
        let today = store.calendar.today
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
        if let cards = ranking {
            view["ranking"] = cards.enumerated().map { index, card in
                [
                    "rank": index + 1, "name": card.manager.name, "points": ScorecardText.decimal(Percent.rounded(card.scorecard.points, places: 1)),
                    "bonus": ScorecardText.money(card.scorecard.bonusMinor),
                ] as [String: Any]
            }
            view["any_ranking"] = !cards.isEmpty
            view["month"] = ConsoleText.month(.month(of: today))
        }
        return pages.page("board", title: "Сводка по дилерской сети", view: view, session: session)
    }

    /// Bonuses are private: the ranking is for admins, accountants and the head of sales, as in the API.
    func mayReadRanking(_ session: ConsoleSession) async throws -> Bool {
        session.user.role == .accountant ? true : try await speaksAsHeadOfSales(session)
    }

    /// An admin, or a manager's account bound to the active head of sales: who the API lets set
    /// targets, read every scorecard and override an accreditation.
    func speaksAsHeadOfSales(_ session: ConsoleSession) async throws -> Bool {
        switch session.user.role {
        case .admin: return true
        case .manager:
            guard let managerID = session.user.managerID else { return false }
            let manager = try await store.manager(id: managerID)
            return manager.active && manager.role == .head
        case .accountant, .viewer, .integration, .dealer: return false
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
