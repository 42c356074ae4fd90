import DealerCore
import Foundation
import SQLKit

/// How the compliance KPI is split.
public enum ComplianceGrouping: String, Sendable, CaseIterable {
    case manager, region, segment, none
}

/// The compliance KPI for a period, per group and in total.
public struct ProfileComplianceReport: Sendable {
    public struct Group: Sendable {
        /// The manager's id, the region or the segment; nil for dealers without one (and for `none`).
        public var key: String?
        /// The manager's name, for a report by manager.
        public var name: String?
        public var figures: ProfileCompliance.Figures
    }

    public var from: CivilDate
    public var to: CivilDate
    public var groupBy: ComplianceGrouping
    public var groups: [Group]
    public var total: ProfileCompliance.Figures
}

extension Store {
    /// Of the dealers accredited from `from` to `to` (company dates, both included), the share that
    /// met the profile without an override; and the dealers that applied in the period, how many got
    /// accredited and in how many days (median).
    public func profileCompliance(
        from: CivilDate, to: CivilDate, groupBy: ComplianceGrouping, companyTimeZone zone: TimeZone, visibility: DealerVisibility = .all
    ) async throws -> ProfileComplianceReport {
        let start = from.start(in: zone)
        let end = to.adding(days: 1).start(in: zone)
        return try await database.read { sql in
            let dealerRows = try await sql.raw(
                """
                SELECT id, manager_id, region, segment, applied_at FROM dealers
                WHERE ((applied_at >= \(bind: start) AND applied_at < \(bind: end))
                   OR id IN (SELECT dealer_id FROM accreditations WHERE decided_at >= \(bind: start) AND decided_at < \(bind: end)))
                  AND \(visibility.condition(dealerIDColumn: "id"))
                """
            ).all()
            var dealers: [ProfileCompliance.Dealer] = []
            for row in dealerRows {
                let group: String? =
                    switch groupBy {
                    case .manager: try row.decode(column: "manager_id", as: UUID?.self)?.lowercased
                    case .region: try row.decode(column: "region", as: String?.self)
                    case .segment: try row.decode(column: "segment", as: String?.self)
                    case .none: nil
                    }
                dealers.append(
                    ProfileCompliance.Dealer(
                        id: try row.decode(column: "id", as: UUID.self), group: group,
                        appliedOn: try row.optionalInstant("applied_at").map { CivilDate($0, in: zone) }))
            }
            var decisions: [ProfileCompliance.Decision] = []
            for chunk in dealers.map(\.id).chunked(sql.memberChunk) {
                for row in try await sql.raw(
                    """
                    SELECT dealer_id, decision, evaluated_decision, override_decision, decided_at FROM accreditations
                    WHERE \(sql.member("dealer_id", of: chunk)) ORDER BY seq
                    """
                ).all() {
                    decisions.append(
                        ProfileCompliance.Decision(
                            dealerID: try row.decode(column: "dealer_id", as: UUID.self),
                            decision: try row.enumeration("decision", as: AccreditationEvaluation.Decision.self),
                            evaluatedDecision: try row.enumeration("evaluated_decision", as: AccreditationEvaluation.Decision.self),
                            overridden: try row.decode(column: "override_decision", as: String?.self) != nil,
                            decidedOn: CivilDate(try row.instant("decided_at"), in: zone)))
                }
            }
            let figures = ProfileCompliance.figures(dealers: dealers, decisions: decisions, from: from, to: to)
            let names = groupBy == .manager ? try await Self.managerNames(on: sql) : [:]
            let groups = figures.groups.map { key, figures in
                ProfileComplianceReport.Group(key: key, name: key.flatMap(UUID.init(uuidString:)).flatMap { names[$0] }, figures: figures)
            }.sorted { ($0.name ?? $0.key ?? "\u{10FFFF}") < ($1.name ?? $1.key ?? "\u{10FFFF}") }
            return ProfileComplianceReport(from: from, to: to, groupBy: groupBy, groups: groupBy == .none ? [] : groups, total: figures.total)
        }
    }
}

extension ProfileComplianceReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case from, to, groups, total
        case groupBy = "group_by"
    }

    enum GroupKeys: String, CodingKey {
        case key, name, figures
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from.iso, forKey: .from)
        try container.encode(to.iso, forKey: .to)
        try container.encode(groupBy.rawValue, forKey: .groupBy)
        try container.encode(total, forKey: .total)
        var list = container.nestedUnkeyedContainer(forKey: .groups)
        for group in groups {
            var item = list.nestedContainer(keyedBy: GroupKeys.self)
            try item.encode(group.key, forKey: .key)
            try item.encode(group.name, forKey: .name)
            try item.encode(group.figures, forKey: .figures)
        }
    }
}
