import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Reports for the accountant and the head of sales.
struct ReportsController {
    let store: Store
    let settings: APISettings

    static let readers: Set<Role> = [.admin, .manager, .accountant, .viewer]

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/reports/ageing", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let asOf = try query.date("as_of") ?? store.calendar.today
                let report = try await store.ageingReport(
                    asOf: asOf, groupBy: try query.oneOf("group_by", AgeingReport.Grouping.self), currency: settings.credit.currency,
                    visibility: context.visibility)
                return try JSONBody.response(try JSONValueEncoder().encode(AgeingBody(report)))
            }
        ]
    }
}

/// The ageing report as the API serves it: amounts as decimal text in `currency`.
struct AgeingBody: Encodable {
    /// Keyed by bucket: `current` (not yet due), `days_1_30`, `days_31_60`, `days_61_90`, `over_90`,
    /// and the sums `overdue` and `total`.
    typealias Buckets = [String: String]

    struct Row: Encodable {
        var dealerID: UUID
        var code: String
        var name: String
        var managerID: UUID?
        var managerName: String?
        var region: String?
        var segment: String?
        var balance: String
        var buckets: Buckets
    }

    struct Group: Encodable {
        var key: String?
        var name: String?
        var dealers: Int
        var balance: String
        var buckets: Buckets
    }

    var asOf: CivilDate
    var currency: String
    var groupBy: String?
    var rows: [Row]
    var groups: [Group]
    var total: Group

    init(_ report: AgeingReport) {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: report.currency).decimalString }
        func buckets(_ buckets: AgeingBuckets) -> Buckets {
            [
                "current": money(buckets.current), "days_1_30": money(buckets.days1to30), "days_31_60": money(buckets.days31to60),
                "days_61_90": money(buckets.days61to90), "over_90": money(buckets.over90), "overdue": money(buckets.overdue),
                "total": money(buckets.total),
            ]
        }
        func group(_ group: AgeingReport.Group) -> Group {
            Group(key: group.key, name: group.name, dealers: group.dealers, balance: money(group.balance), buckets: buckets(group.buckets))
        }
        asOf = report.asOf
        currency = report.currency.code
        groupBy = report.groupBy?.rawValue
        rows = report.rows.map {
            Row(
                dealerID: $0.dealerID, code: $0.code, name: $0.name, managerID: $0.managerID, managerName: $0.managerName, region: $0.region,
                segment: $0.segment, balance: money($0.balance), buckets: buckets($0.buckets))
        }
        groups = report.groups.map(group)
        total = group(report.total)
    }
}
