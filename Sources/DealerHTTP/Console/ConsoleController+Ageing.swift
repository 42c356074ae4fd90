import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The ageing report across dealers, as of any date, grouped by manager, region or segment, with
/// its CSV for Excel: the same report as `GET /v1/reports/ageing` and `dealerd receivables ageing`.
extension ConsoleController {
    func ageing(_ session: ConsoleSession, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let asOfText = query.get("as_of") ?? ""
        let asOf = asOfText.isEmpty ? store.calendar.today : CivilDate(parsing: asOfText)
        let grouping = query.get("group_by").flatMap(AgeingReport.Grouping.init(rawValue:))
        guard let asOf else {
            return message(session, title: "Неверная дата", text: "Дата отчёта — в виде 2026-12-01.", status: .unprocessableContent)
        }
        let report = try await store.ageingReport(
            asOf: asOf, groupBy: grouping, currency: api.credit.currency,
            visibility: DealerVisibility.of(session.user.caller, scope: api.managerScope))
        if query.get("format") == "csv" { return Self.csv(report.tableRows(decimalComma: true), name: "ageing-\(asOf.iso).csv") }
        let currency = report.currency
        func cells(_ balance: Int64, _ buckets: AgeingBuckets) -> [String: Any] {
            [
                "balance": ConsoleText.money(balance, currency), "current": ConsoleText.money(buckets.current, currency),
                "d30": ConsoleText.money(buckets.days1to30, currency), "d60": ConsoleText.money(buckets.days31to60, currency),
                "d90": ConsoleText.money(buckets.days61to90, currency), "over90": ConsoleText.money(buckets.over90, currency),
                "overdue": ConsoleText.money(buckets.overdue, currency),
            ]
        }
        let view: [String: Any] = [
            "as_of": asOf.iso, "as_of_text": asOf.russian,
            "groupings": [("", "без группировки"), ("manager", "по менеджерам"), ("region", "по регионам"), ("segment", "по сегментам")].map {
                ["value": $0.0, "label": $0.1, "selected": $0.0 == (grouping?.rawValue ?? "")] as [String: Any]
            },
            "csv": "/reports/ageing?format=csv&as_of=\(asOf.iso)" + (grouping.map { "&group_by=\($0.rawValue)" } ?? ""),
            "rows": report.rows.map { row in
                cells(row.balance, row.buckets).merging(["code": row.code, "name": row.name, "manager": row.managerName ?? "—"]) { $1 }
            },
            "groups": report.groups.map { group in
                cells(group.balance, group.buckets).merging(["name": group.name ?? "(не указан)", "dealers": group.dealers]) { $1 }
            },
            "total": cells(report.total.balance, report.total.buckets).merging(["dealers": report.total.dealers]) { $1 },
        ]
        return pages.page("ageing", title: "Дебиторская задолженность по срокам", view: view, session: session)
    }
}
