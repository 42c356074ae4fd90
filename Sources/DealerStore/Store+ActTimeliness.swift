import DealerCore
import Foundation
import SQLKit

/// The service specialist's KPI: were acts made on time, and were they answered in time.
public struct ActTimelinessReport: Sendable, Encodable {
    public struct Figures: Sendable, Encodable {
        public var acts = 0
        public var generatedOnTime = 0
        public var confirmed = 0
        public var disputed = 0
        public var answeredInTime = 0
        public var unanswered = 0
        /// Unanswered past the answer period now.
        public var overdue = 0

        enum CodingKeys: String, CodingKey {
            case acts, confirmed, disputed, unanswered, overdue
            case generatedOnTime = "generated_on_time"
            case answeredInTime = "answered_in_time"
            case onTimePercent = "on_time_percent"
            case answeredInTimePercent = "answered_in_time_percent"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(acts, forKey: .acts)
            try container.encode(generatedOnTime, forKey: .generatedOnTime)
            try container.encode(Percent.of(generatedOnTime, acts), forKey: .onTimePercent)
            try container.encode(confirmed, forKey: .confirmed)
            try container.encode(disputed, forKey: .disputed)
            try container.encode(answeredInTime, forKey: .answeredInTime)
            try container.encode(Percent.of(answeredInTime, acts), forKey: .answeredInTimePercent)
            try container.encode(unanswered, forKey: .unanswered)
            try container.encode(overdue, forKey: .overdue)
        }
    }

    public struct Group: Sendable, Encodable {
        public var managerID: String?
        public var name: String?
        public var figures: Figures

        enum CodingKeys: String, CodingKey {
            case name, figures
            case managerID = "manager_id"
        }

        /// Nobody assigned is a null id and name, so every group has the same members.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(managerID, forKey: .managerID)
            try container.encode(name, forKey: .name)
            try container.encode(figures, forKey: .figures)
        }
    }

    public var from: String
    public var to: String
    public var groupBy: ActTimelinessGrouping
    public var groups: [Group]
    public var total: Figures

    enum CodingKeys: String, CodingKey {
        case from, to, groups, total
        case groupBy = "group_by"
    }
}

/// Whose timeliness the KPI shows: the dealer's service specialist (who keeps its acts) or its manager.
public enum ActTimelinessGrouping: String, Sendable, Codable, CaseIterable {
    case serviceSpecialist = "service_specialist"
    case manager
}

/// When acts count as timely (`reconciliation.*` in config).
public struct ActDeadlines: Sendable, Equatable {
    /// An act made within this many days after its period ends is on time.
    public var generateWithinDays: Int
    /// A dealer should answer within this many days; then a reminder goes out, once.
    public var answerWithinDays: Int

    public init(generateWithinDays: Int = 5, answerWithinDays: Int = 14) {
        self.generateWithinDays = generateWithinDays
        self.answerWithinDays = answerWithinDays
    }
}

extension Store {
    /// Acts (current versions) of periods ending from `from` to `to`, by the dealer's service specialist
    /// or manager; dealers without one make a group of their own (no id, no name).
    public func actTimeliness(
        from: CivilDate, to: CivilDate, groupBy: ActTimelinessGrouping = .serviceSpecialist, deadlines: ActDeadlines, today: CivilDate,
        zone: TimeZone, visibility: DealerVisibility = .all
    ) async throws -> ActTimelinessReport {
        let responsible = groupBy == .manager ? "d.manager_id" : "d.service_specialist_id"
        return try await database.read { sql in
            let names = try await Self.managerNames(on: sql)
            var groups: [UUID?: ActTimelinessReport.Figures] = [:]
            for row in try await sql.raw(
                """
                SELECT \(unsafeRaw: responsible) AS responsible, a.period_to, a.status, a.generated_at, a.answered_at FROM reconciliation_acts a JOIN dealers d ON d.id = a.dealer_id
                WHERE a.status <> 'outdated' AND a.period_to >= \(bind: from.iso) AND a.period_to <= \(bind: to.iso)
                  AND \(visibility.condition(dealerIDColumn: "d.id"))
                """
            ).all() {
                let manager = try row.decode(column: "responsible", as: UUID?.self)
                let periodEnd = try row.civilDate("period_to")
                let generated = CivilDate(try row.instant("generated_at"), in: zone)
                let answered = try row.optionalInstant("answered_at").map { CivilDate($0, in: zone) }
                let status = try row.enumeration("status", as: ActStatus.self)
                var figures = groups[manager] ?? .init()
                figures.acts += 1
                if generated.days(since: periodEnd) <= deadlines.generateWithinDays { figures.generatedOnTime += 1 }
                switch status {
                case .confirmed: figures.confirmed += 1
                case .disputed: figures.disputed += 1
                default:
                    figures.unanswered += 1
                    if today.days(since: generated) > deadlines.answerWithinDays { figures.overdue += 1 }
                }
                if let answered, answered.days(since: generated) <= deadlines.answerWithinDays { figures.answeredInTime += 1 }
                groups[manager] = figures
            }
            var total = ActTimelinessReport.Figures()
            for figures in groups.values {
                total.acts += figures.acts
                total.generatedOnTime += figures.generatedOnTime
                total.confirmed += figures.confirmed
                total.disputed += figures.disputed
                total.answeredInTime += figures.answeredInTime
                total.unanswered += figures.unanswered
                total.overdue += figures.overdue
            }
            let lines = groups.map { manager, figures in
                ActTimelinessReport.Group(managerID: manager?.lowercased, name: manager.flatMap { names[$0] }, figures: figures)
            }.sorted { ($0.name ?? "\u{10FFFF}") < ($1.name ?? "\u{10FFFF}") }
            return ActTimelinessReport(from: from.iso, to: to.iso, groupBy: groupBy, groups: lines, total: total)
        }
    }

    /// Reminds of acts not answered within the answer period: `reconciliation.act_overdue`, once per act.
    public func remindUnansweredActs(today: CivilDate, deadlines: ActDeadlines, zone: TimeZone) async throws -> Int {
        let now = clock.now()
        let flavor = database.flavor
        let cutoff = today.adding(days: -deadlines.answerWithinDays).start(in: zone)
        return try await writing { sql in
            let rows = try await sql.raw(
                """
                SELECT a.id, a.number, a.dealer_id, a.period_from, a.period_to, a.generated_at, d.code FROM reconciliation_acts a
                JOIN dealers d ON d.id = a.dealer_id
                WHERE a.status IN ('generated', 'sent') AND a.reminded_at IS NULL AND a.generated_at < \(bind: cutoff)
                """
            ).all()
            var events: [DomainEvent] = []
            var ids: [UUID] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let dealer = try row.decode(column: "dealer_id", as: UUID.self)
                ids.append(id)
                let overdue = ActOverdue(
                    actID: id, number: try row.decode(column: "number", as: String.self), dealerID: dealer,
                    code: try row.decode(column: "code", as: String.self), periodFrom: try row.civilDate("period_from"),
                    periodTo: try row.civilDate("period_to"), generatedAt: try row.instant("generated_at"),
                    answerWithinDays: deadlines.answerWithinDays)
                events.append(try DomainEvent(type: .reconciliationActOverdue, occurredAt: now, dealerID: dealer, payload: overdue))
            }
            for chunk in ids.chunked(sql.memberChunk) {
                try await sql.raw("UPDATE reconciliation_acts SET reminded_at = \(bind: now) WHERE \(sql.member("id", of: chunk))").run()
            }
            try await Outbox.appendAll(events, on: sql, flavor: flavor)
            return ids.count
        }
    }
}
