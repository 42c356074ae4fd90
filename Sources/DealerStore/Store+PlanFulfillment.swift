import DealerCore
import Foundation
import SQLKit

/// How plan fulfilment is split.
public enum PlanGrouping: String, Sendable, CaseIterable {
    case dealer, manager, region, segment
}

/// Plan against fact for a period, per group and in total.
public struct PlanFulfillmentReport: Sendable {
    public struct Line: Sendable {
        /// The dealer's or manager's id, the region or the segment (nil: dealers without one).
        public var key: String?
        /// The dealer's code and name, or the manager's name.
        public var name: String?
        public var dealers: Int
        public var figures: PlanFulfillment
    }

    public var period: PlanPeriod
    public var groupBy: PlanGrouping
    public var currency: Currency
    /// The period is still running: forecasts are given.
    public var running: Bool
    public var lines: [Line]
    public var total: PlanFulfillment
}

extension Store {
    /// Every dealer with a plan or sales in `period` (or a year earlier): plan, fact (shipments net of
    /// returns by document date), growth, and for a running period the run-rate forecast; grouped.
    public func planFulfillment(
        period: PlanPeriod, groupBy: PlanGrouping, today: CivilDate, currency: Currency, minElapsedDays: Int = 1,
        visibility: DealerVisibility = .all
    ) async throws -> PlanFulfillmentReport {
        try await database.read { sql in
            let figures = try await Self.dealerFigures(period: period, today: today, minElapsedDays: minElapsedDays, on: sql)
            let running = today >= period.firstDay && today <= period.lastDay
            var groups: [String?: (name: String?, dealers: Int, figures: PlanFulfillment)] = [:]
            let managerNames = groupBy == .manager ? try await Self.managerNames(on: sql) : [:]
            for chunk in Array(figures.keys).chunked(sql.memberChunk) {
                for row in try await sql.raw(
                    "SELECT id, code, name, manager_id, region, segment FROM dealers WHERE \(sql.member("id", of: chunk)) AND \(visibility.condition(dealerIDColumn: "id"))"
                ).all() {
                    let id = try row.decode(column: "id", as: UUID.self)
                    let key: String?
                    var name: String?
                    switch groupBy {
                    case .dealer:
                        key = id.lowercased
                        name = try row.decode(column: "code", as: String.self) + " " + row.decode(column: "name", as: String.self)
                    case .manager:
                        let manager = try row.decode(column: "manager_id", as: UUID?.self)
                        key = manager?.lowercased
                        name = manager.flatMap { managerNames[$0] }
                    case .region: key = try row.decode(column: "region", as: String?.self)
                    case .segment: key = try row.decode(column: "segment", as: String?.self)
                    }
                    var group = groups[key] ?? (name, 0, PlanFulfillment(forecastMinor: running ? 0 : nil))
                    group.dealers += 1
                    if let dealer = figures[id] { group.figures.add(dealer) }
                    groups[key] = group
                }
            }
            var total = PlanFulfillment(forecastMinor: running ? 0 : nil)
            for group in groups.values { total.add(group.figures) }
            let lines = groups.map { key, group in
                PlanFulfillmentReport.Line(key: key, name: group.name, dealers: group.dealers, figures: group.figures)
            }.sorted { ($0.name ?? $0.key ?? "\u{10FFFF}") < ($1.name ?? $1.key ?? "\u{10FFFF}") }
            return PlanFulfillmentReport(period: period, groupBy: groupBy, currency: currency, running: running, lines: lines, total: total)
        }
    }
}

extension Store {
    /// Each dealer's plan, fact, fact a year earlier and forecast for a period: two set-based queries.
    static func dealerFigures(
        period: PlanPeriod, today: CivilDate, minElapsedDays: Int, on sql: any SQLDatabase
    ) async throws -> [UUID: PlanFulfillment] {
        let earlier = period.yearEarlier
        var figures: [UUID: PlanFulfillment] = [:]
        for row in try await sql.raw(
            """
            SELECT dealer_id, CAST(SUM(amount_minor) AS BIGINT) AS plan FROM sales_plans
            WHERE period >= \(bind: period.months[0].description) AND period <= \(bind: period.months[period.months.count - 1].description)
            GROUP BY dealer_id
            """
        ).all() {
            figures[try row.decode(column: "dealer_id", as: UUID.self), default: PlanFulfillment()].planMinor =
                try row.decode(column: "plan", as: Int64.self)
        }
        let (from, to, earlierFrom, earlierTo) = (period.firstDay.iso, period.lastDay.iso, earlier.firstDay.iso, earlier.lastDay.iso)
        for row in try await sql.raw(
            """
            SELECT dealer_id,
                   CAST(SUM(CASE WHEN document_date >= \(bind: from) THEN effect_minor ELSE 0 END) AS BIGINT) AS fact,
                   CAST(SUM(CASE WHEN document_date <= \(bind: earlierTo) THEN effect_minor ELSE 0 END) AS BIGINT) AS earlier
            FROM ledger_entries
            WHERE kind IN ('shipment', 'return')
              AND ((document_date >= \(bind: from) AND document_date <= \(bind: to))
                OR (document_date >= \(bind: earlierFrom) AND document_date <= \(bind: earlierTo)))
            GROUP BY dealer_id
            """
        ).all() {
            let id = try row.decode(column: "dealer_id", as: UUID.self)
            figures[id, default: PlanFulfillment()].factMinor = try row.decode(column: "fact", as: Int64.self)
            figures[id, default: PlanFulfillment()].yearEarlierMinor = try row.decode(column: "earlier", as: Int64.self)
        }
        for (id, dealer) in figures {
            figures[id]?.forecastMinor = PlanFulfillment.forecast(
                factMinor: dealer.factMinor, period: period, today: today, minElapsedDays: minElapsedDays)
        }
        return figures
    }
}

extension PlanFulfillmentReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case period, currency, running, lines, total
        case groupBy = "group_by"
    }

    enum LineKeys: String, CodingKey {
        case key, name, dealers, plan, fact, forecast
        case fulfillmentPercent = "fulfillment_percent"
        case forecastPercent = "forecast_percent"
        case yearEarlier = "year_earlier"
        case growthPercent = "growth_percent"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(period.description, forKey: .period)
        try container.encode(groupBy.rawValue, forKey: .groupBy)
        try container.encode(currency.code, forKey: .currency)
        try container.encode(running, forKey: .running)
        var list = container.nestedUnkeyedContainer(forKey: .lines)
        for line in lines {
            var item = list.nestedContainer(keyedBy: LineKeys.self)
            try item.encode(line.key, forKey: .key)
            try item.encode(line.name, forKey: .name)
            try item.encode(line.dealers, forKey: .dealers)
            try encode(line.figures, into: &item)
        }
        var totals = container.nestedContainer(keyedBy: LineKeys.self, forKey: .total)
        try totals.encode(lines.reduce(0) { $0 + $1.dealers }, forKey: .dealers)
        try encode(total, into: &totals)
    }

    private func encode(_ figures: PlanFulfillment, into item: inout KeyedEncodingContainer<LineKeys>) throws {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        try item.encode(money(figures.planMinor), forKey: .plan)
        try item.encode(money(figures.factMinor), forKey: .fact)
        try item.encode(figures.fulfillmentPercent, forKey: .fulfillmentPercent)
        try item.encode(money(figures.yearEarlierMinor), forKey: .yearEarlier)
        try item.encode(figures.growthPercent, forKey: .growthPercent)
        try item.encode(figures.forecastMinor.map(money), forKey: .forecast)
        try item.encode(figures.forecastPercent, forKey: .forecastPercent)
    }
}
