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

        let limits = (breached.lines + warning.lines).map(Self.limitRow)
        let view: [String: Any] = [
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
                    "code": rhythm.code, "name": rhythm.name, "days_late": rhythm.assessment.daysLate,
                    "last_shipment": ConsoleText.date(rhythm.assessment.lastShipment),
                    "interval": rhythm.assessment.expectedInterval.map { RussianText.days($0) } ?? "—",
                ] as [String: Any]
            },
            "pipeline": DealerStatus.allCases.map { status in
                ["status": status.rawValue, "name": status.russianName, "count": counts[status] ?? 0] as [String: Any]
            },
        ]
        return pages.page("board", title: "Сводка по дилерской сети", view: view, session: session)
    }

    static func limitRow(_ line: ReceivablesLine) -> [String: Any] {
        let percent = line.utilizationPercent ?? 0
        return [
            "code": line.code, "name": line.name, "balance": ConsoleText.money(line.balance, line.currency),
            "limit": line.limit.map { ConsoleText.money($0, line.currency) } ?? "—", "percent": percent,
            // The bar is drawn to its share of the limit, capped at the full width.
            "bar": min(max(percent, 0), 100), "breached": line.creditState == .breached,
        ]
    }
}
