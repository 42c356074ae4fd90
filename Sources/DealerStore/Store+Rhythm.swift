import DealerCore
import Foundation
import SQLKit

/// A dealer's rhythm with what a list needs to show and filter it.
public struct DealerRhythm: Sendable {
    public var dealerID: UUID
    public var code: String
    public var name: String
    public var managerID: UUID?
    public var region: String?
    public var segment: String?
    public var assessment: RhythmAssessment
}

/// Which dealers a rhythm list shows.
public struct RhythmFilter: Sendable {
    public var status: RhythmAssessment.Status?
    public var managerID: UUID?
    public var region: String?
    /// Whose dealers the caller may see (`auth.manager_scope`).
    public var visibility: DealerVisibility = .all

    public init(status: RhythmAssessment.Status? = nil, managerID: UUID? = nil, region: String? = nil) {
        self.status = status
        self.managerID = managerID
        self.region = region
    }
}

/// Where a page of the rhythm list ended: days late (descending), then dealer code.
struct RhythmCursor: PageCursor, Equatable {
    var daysLate: Int
    var code: String
}

extension Store {
    /// Sets the interval a dealer is expected to ship at (nil: learn it, or take its segment's); audited.
    public func setRhythmInterval(dealerID: UUID, days: Int?, by actor: Caller) async throws {
        if let days, !(1...366).contains(days) { throw ValidationError(field: "interval_days", "1 to 366 days, or null to learn it") }
        let now = clock.now()
        try await writing { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let before = try await sql.raw("SELECT interval_days FROM dealer_rhythm_settings WHERE dealer_id = \(bind: dealerID)").first()
                .map { try $0.decode(column: "interval_days", as: Int.self) }
            if let days {
                try await sql.raw(
                    """
                    INSERT INTO dealer_rhythm_settings (dealer_id, interval_days, updated_at, updated_by)
                    VALUES (\(bind: dealerID), \(bind: days), \(bind: now), \(bind: actor.name))
                    ON CONFLICT (dealer_id) DO UPDATE SET interval_days = excluded.interval_days, updated_at = excluded.updated_at,
                        updated_by = excluded.updated_by
                    """
                ).run()
            } else {
                try await sql.raw("DELETE FROM dealer_rhythm_settings WHERE dealer_id = \(bind: dealerID)").run()
            }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "rhythm.set_interval", entityType: "dealer", entityID: dealerID.lowercased,
                    before: .object(["interval_days": before.map { .number(Decimal($0)) } ?? .null]),
                    after: .object(["interval_days": days.map { .number(Decimal($0)) } ?? .null])),
                at: now, on: sql)
        }
    }

    /// One dealer's rhythm on `today`, whatever its status.
    public func rhythm(dealerID: UUID, today: CivilDate, settings: RhythmSettings) async throws -> DealerRhythm {
        try await database.read { sql in
            guard let found = try await Self.assessRhythm(where: "d.id = \(bind: dealerID)", today: today, settings: settings, on: sql).first else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            return found
        }
    }

    /// The rhythm of every accredited dealer (suspended and terminated ones are not reported), most
    /// days late first.
    public func rhythmList(today: CivilDate, settings: RhythmSettings, filter: RhythmFilter) async throws -> [DealerRhythm] {
        try await database.read { sql in
            var condition: SQLQueryString = "d.status = 'accredited'"
            if let manager = filter.managerID { condition = condition + " AND d.manager_id = \(bind: manager)" }
            if filter.visibility != .all { condition = condition + " AND " + filter.visibility.condition(dealerIDColumn: "d.id") }
            if let region = filter.region { condition = condition + " AND d.region = \(bind: region)" }
            return try await Self.assessRhythm(where: condition, today: today, settings: settings, on: sql)
                .filter { filter.status == nil || $0.assessment.status == filter.status }
                .sorted { ($1.assessment.daysLate, $0.code) < ($0.assessment.daysLate, $1.code) }
        }
    }

    /// A page of `rhythmList`: the whole list is assessed (the order is the model's), then the page
    /// after the cursor is cut from it, so the morning list of ten thousand dealers is not one answer.
    public func rhythmPage(
        today: CivilDate, settings: RhythmSettings, filter: RhythmFilter, cursor: String?, limit: Int
    ) async throws -> Page<DealerRhythm> {
        let after = try cursor.map { try RhythmCursor(decoding: $0) }
        let list = try await rhythmList(today: today, settings: settings, filter: filter)
        let rest =
            after.map { after in
                list.drop(while: { $0.assessment.daysLate > after.daysLate || ($0.assessment.daysLate == after.daysLate && $0.code <= after.code) })
            } ?? list[...]
        let page = Array(rest.prefix(limit))
        let next = rest.count > limit ? page.last.map { RhythmCursor(daysLate: $0.assessment.daysLate, code: $0.code).encoded } : nil
        return Page(items: page, nextCursor: next)
    }

    /// Set-based: the dealers, their own intervals, the last shipment days of each (a window, not a
    /// query per dealer) and who had a plan for last month; then the model, dealer by dealer.
    static func assessRhythm(
        where condition: SQLQueryString, today: CivilDate, settings: RhythmSettings, on sql: any SQLDatabase
    ) async throws -> [DealerRhythm] {
        var dealers: [DealerRhythm] = []
        var intervals: [UUID: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT d.id, d.code, d.name, d.manager_id, d.region, d.segment, r.interval_days
            FROM dealers d LEFT JOIN dealer_rhythm_settings r ON r.dealer_id = d.id WHERE \(condition)
            """
        ).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            intervals[id] = try row.decode(column: "interval_days", as: Int?.self)
            dealers.append(
                DealerRhythm(
                    dealerID: id, code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                    managerID: try row.decode(column: "manager_id", as: UUID?.self), region: try row.decode(column: "region", as: String?.self),
                    segment: try row.decode(column: "segment", as: String?.self),
                    assessment: RhythmModel.assess(shipments: [], setInterval: nil, today: today, settings: settings)))
        }
        guard !dealers.isEmpty else { return [] }
        var shipments: [UUID: [CivilDate]] = [:]
        // Each dealer's latest shipment days. PostgreSQL reads them from the end of the sales index,
        // dealer by dealer (a lateral join, about six times faster on the reference set than
        // numbering every shipment day); SQLite has no lateral join and numbers them with a window.
        let latestDays: SQLQueryString =
            sql.isPostgres
            ? """
            SELECT d.id AS dealer_id, x.document_date FROM dealers d CROSS JOIN LATERAL (
                SELECT DISTINCT l.document_date FROM ledger_entries l
                WHERE l.dealer_id = d.id AND l.kind IN ('shipment', 'return') AND l.effect_minor > 0 AND l.document_date <= \(bind: today.iso)
                ORDER BY l.document_date DESC LIMIT \(literal: settings.historyIntervals + 1)
            ) x
            WHERE \(condition)
            """
            : """
            SELECT dealer_id, document_date FROM (
                SELECT dealer_id, document_date, ROW_NUMBER() OVER (PARTITION BY dealer_id ORDER BY document_date DESC) AS position
                FROM (SELECT DISTINCT l.dealer_id, l.document_date FROM ledger_entries l JOIN dealers d ON d.id = l.dealer_id
                      WHERE l.kind IN ('shipment', 'return') AND l.effect_minor > 0 AND l.document_date <= \(bind: today.iso) AND \(condition)) days
            ) latest
            WHERE position <= \(bind: settings.historyIntervals + 1)
            """
        for row in try await sql.raw(latestDays).all() {
            shipments[try row.decode(column: "dealer_id", as: UUID.self), default: []].append(try row.civilDate("document_date"))
        }
        let lastMonth = PlanPeriod.month(of: today).previous
        var planned = Set<UUID>()
        for row in try await sql.raw(
            "SELECT dealer_id FROM sales_plans WHERE period = \(bind: lastMonth.description) AND amount_minor > 0"
        ).all() {
            planned.insert(try row.decode(column: "dealer_id", as: UUID.self))
        }
        for index in dealers.indices {
            let dealer = dealers[index]
            let days = shipments[dealer.dealerID] ?? []
            let set: (Int, RhythmAssessment.Source)? =
                intervals[dealer.dealerID].map { ($0, .dealer) } ?? dealer.segment.flatMap { settings.segmentIntervals[$0] }.map { ($0, .segment) }
            // A planned month without a shipment breaks the rhythm until the dealer ships again.
            let missed = planned.contains(dealer.dealerID) && !days.contains { $0 >= lastMonth.firstDay }
            dealers[index].assessment = RhythmModel.assess(
                shipments: days, setInterval: set, today: today, settings: settings, plannedMonthMissed: missed)
        }
        return dealers
    }
}
