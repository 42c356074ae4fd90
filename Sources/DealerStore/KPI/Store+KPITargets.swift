import DealerCore
import Foundation
import SQLKit

/// One line of a targets import: whose, for which period, which KPI, and the target.
public struct KPITargetLine: Sendable, Equatable {
    public var line: Int
    public var managerEmail: String
    public var period: PlanPeriod
    public var kpi: KPI
    public var target: Decimal

    public init(line: Int, managerEmail: String, period: PlanPeriod, kpi: KPI, target: Decimal) {
        self.line = line
        self.managerEmail = managerEmail
        self.period = period
        self.kpi = kpi
        self.target = target
    }
}

extension Store {
    /// Sets (or, for nil, removes) a manager's own targets for a period, audited; answers the
    /// targets now in force for that period.
    public func setKPITargets(managerID: UUID, period: PlanPeriod, _ targets: [KPI: Decimal?], by actor: Caller) async throws -> [KPI: Decimal] {
        let now = clock.now()
        return try await writing { sql in
            guard try await Self.fetchManager(id: managerID, on: sql, lockingOn: nil) != nil else {
                throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
            }
            let before = try await Self.targets(managerID: managerID, period: period, on: sql)
            for (kpi, target) in targets {
                try await Self.storeTarget(managerID: managerID, period: period, kpi: kpi, target: target, actor: actor, at: now, on: sql)
            }
            let after = try await Self.targets(managerID: managerID, period: period, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "kpi_targets.set", entityType: "manager", entityID: managerID.lowercased,
                    before: Self.auditValue(period, before), after: Self.auditValue(period, after)),
                at: now, on: sql)
            return after
        }
    }

    /// A whole file of targets, all or nothing: a line naming an unknown manager fails the import
    /// with its line number, and nothing is stored.
    public func importKPITargets(_ lines: [KPITargetLine], by actor: Caller) async throws -> Int {
        let now = clock.now()
        return try await writing { sql in
            let ids = try await Self.managerIDs(forLines: lines.map { ($0.line, $0.managerEmail) }, on: sql)
            for line in lines {
                guard let id = ids[line.managerEmail.lowercased()] else { continue }
                try await Self.storeTarget(managerID: id, period: line.period, kpi: line.kpi, target: line.target, actor: actor, at: now, on: sql)
            }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "kpi_targets.import", entityType: "kpi_targets", entityID: "import",
                    before: nil, after: .object(["lines": .number(Decimal(lines.count))])),
                at: now, on: sql)
            return lines.count
        }
    }

    public func kpiTargets(managerID: UUID, period: PlanPeriod) async throws -> [KPI: Decimal] {
        try await database.read { sql in try await Self.targets(managerID: managerID, period: period, on: sql) }
    }

    /// Every manager's own targets for a period.
    public func kpiTargets(period: PlanPeriod) async throws -> [UUID: [KPI: Decimal]] {
        try await database.read { sql in
            var targets: [UUID: [KPI: Decimal]] = [:]
            for row in try await sql.raw("SELECT manager_id, kpi, target FROM kpi_targets WHERE period = \(bind: period.description)").all() {
                guard let kpi = KPI(rawValue: try row.decode(column: "kpi", as: String.self)),
                    let target = Decimal(string: try row.decode(column: "target", as: String.self))
                else { continue }
                targets[try row.decode(column: "manager_id", as: UUID.self), default: [:]][kpi] = target
            }
            return targets
        }
    }

    static func targets(managerID: UUID, period: PlanPeriod, on sql: any SQLDatabase) async throws -> [KPI: Decimal] {
        var targets: [KPI: Decimal] = [:]
        for row in try await sql.raw(
            "SELECT kpi, target FROM kpi_targets WHERE manager_id = \(bind: managerID) AND period = \(bind: period.description)"
        ).all() {
            // A KPI no longer in the catalogue, or an unreadable target, is left out rather than failing the card.
            guard let kpi = KPI(rawValue: try row.decode(column: "kpi", as: String.self)),
                let target = Decimal(string: try row.decode(column: "target", as: String.self))
            else { continue }
            targets[kpi] = target
        }
        return targets
    }

    static func storeTarget(
        managerID: UUID, period: PlanPeriod, kpi: KPI, target: Decimal?, actor: Caller, at now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            "DELETE FROM kpi_targets WHERE manager_id = \(bind: managerID) AND period = \(bind: period.description) AND kpi = \(bind: kpi.rawValue)"
        ).run()
        guard let target else { return }
        try await sql.raw(
            """
            INSERT INTO kpi_targets (manager_id, period, kpi, target, set_by, set_at)
            VALUES (\(bind: managerID), \(bind: period.description), \(bind: kpi.rawValue), \(bind: target.description), \(bind: actor.name), \(bind: now))
            """
        ).run()
    }

    static func auditValue(_ period: PlanPeriod, _ targets: [KPI: Decimal]) -> JSONValue {
        .object([
            "period": .string(period.description),
            "targets": .object(Dictionary(uniqueKeysWithValues: targets.map { ($0.key.rawValue, JSONValue.number($0.value)) })),
        ])
    }
}
