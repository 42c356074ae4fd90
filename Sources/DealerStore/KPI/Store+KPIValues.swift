import DealerCore
import Foundation
import SQLKit

/// A value pushed for a KPI dealerd cannot see, as stored: whose, which period and KPI, the value
/// and its source, and who sent it when.
public struct KPIValueRecord: Sendable, Equatable {
    public var managerID: UUID
    public var period: PlanPeriod
    public var kpi: KPI
    public var value: ExternalKPIValue
    public var setBy: String
    public var setAt: Date
}

/// One line of a values import: whose (by e-mail), for which period, which KPI, and the value.
public struct KPIValueLine: Sendable, Equatable {
    public var line: Int
    public var managerEmail: String
    public var period: PlanPeriod
    public var kpi: KPI
    public var value: ExternalKPIValue

    public init(line: Int, managerEmail: String, period: PlanPeriod, kpi: KPI, value: ExternalKPIValue) {
        self.line = line
        self.managerEmail = managerEmail
        self.period = period
        self.kpi = kpi
        self.value = value
    }
}

extension Store {
    /// Stores (or replaces) the value of an external KPI for a manager and period, audited with the
    /// value it replaced.
    public func setKPIValue(
        managerID: UUID, period: PlanPeriod, kpi: KPI, _ value: ExternalKPIValue, by actor: Caller
    ) async throws -> KPIValueRecord {
        let now = clock.now()
        return try await writing { sql in
            guard try await Self.fetchManager(id: managerID, on: sql, lockingOn: nil) != nil else {
                throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
            }
            let before = try await Self.kpiValueRecords(period: period, managerID: managerID, kpi: kpi, on: sql).first
            let record = KPIValueRecord(managerID: managerID, period: period, kpi: kpi, value: value, setBy: actor.name, setAt: now)
            try await Self.storeKPIValue(record, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "kpi_value.set", entityType: "manager", entityID: managerID.lowercased,
                    before: before.map(Self.auditValue), after: Self.auditValue(record)),
                at: now, on: sql)
            return record
        }
    }

    /// Removes a pushed value, audited; the KPI has no fact for the period again.
    public func removeKPIValue(managerID: UUID, period: PlanPeriod, kpi: KPI, by actor: Caller) async throws {
        let now = clock.now()
        try await writing { sql in
            guard let before = try await Self.kpiValueRecords(period: period, managerID: managerID, kpi: kpi, on: sql).first else {
                throw DomainError.notFound(entity: "kpi value", id: "\(managerID.lowercased)/\(period)/\(kpi.rawValue)")
            }
            try await sql.raw(
                """
                DELETE FROM kpi_values
                WHERE manager_id = \(bind: managerID) AND period = \(bind: period.description) AND kpi = \(bind: kpi.rawValue)
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "kpi_value.removed", entityType: "manager", entityID: managerID.lowercased,
                    before: Self.auditValue(before), after: nil),
                at: now, on: sql)
        }
    }

    /// A whole file of values, all or nothing: a line naming an unknown manager fails the import
    /// with its line number, and nothing is stored.
    public func importKPIValues(_ lines: [KPIValueLine], by actor: Caller) async throws -> Int {
        let now = clock.now()
        return try await writing { sql in
            let ids = try await Self.managerIDs(forLines: lines.map { ($0.line, $0.managerEmail) }, on: sql)
            for line in lines {
                guard let id = ids[line.managerEmail.lowercased()] else { continue }
                try await Self.storeKPIValue(
                    KPIValueRecord(managerID: id, period: line.period, kpi: line.kpi, value: line.value, setBy: actor.name, setAt: now),
                    on: sql)
            }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "kpi_values.import", entityType: "kpi_values", entityID: "import",
                    before: nil, after: .object(["lines": .number(Decimal(lines.count))])),
                at: now, on: sql)
            return lines.count
        }
    }

    /// What a dry run of the import checks beyond the file: that every line's manager exists.
    public func checkKPIValueManagers(_ lines: [KPIValueLine]) async throws {
        _ = try await database.read { sql in try await Self.managerIDs(forLines: lines.map { ($0.line, $0.managerEmail) }, on: sql) }
    }

    /// Managers' ids by lowercased e-mail, for an import's lines; a line naming no manager fails
    /// the import under `line N`.
    static func managerIDs(forLines lines: [(line: Int, email: String)], on sql: any SQLDatabase) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for row in try await sql.raw("SELECT id, email FROM managers").all() {
            ids[try row.decode(column: "email", as: String.self).lowercased()] = try row.decode(column: "id", as: UUID.self)
        }
        var issues = ValidationCollector()
        for line in lines where ids[line.email.lowercased()] == nil {
            issues.add("line \(line.line)", "no manager with the e-mail \(line.email)")
        }
        try issues.check()
        return ids
    }

    /// The values pushed for exactly `period`, every manager's or one's, by manager and KPI.
    public func kpiValues(period: PlanPeriod, managerID: UUID?) async throws -> [KPIValueRecord] {
        try await database.read { sql in try await Self.kpiValueRecords(period: period, managerID: managerID, kpi: nil, on: sql) }
    }

    /// What every manager's scorecard for `period` reads: the values pushed for it, and for a
    /// quarter or a year those of its months (`ExternalKPIValue.resolve` adds them up).
    public func externalKPIValues(period: PlanPeriod) async throws -> [UUID: [KPI: ExternalKPIValue]] {
        let periods = [period] + (period.months.count > 1 ? period.months : [])
        let byName = Dictionary(periods.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try await database.read { sql in
            try await sql.raw(
                "SELECT manager_id, period, kpi, value, source FROM kpi_values WHERE period IN (\(binds: periods.map(\.description)))"
            ).all()
        }
        var pushed: [UUID: [PlanPeriod: [KPI: ExternalKPIValue]]] = [:]
        for item in CorruptRows.decode(rows, table: "kpi_values", Self.decodePushedValue) {
            guard let (managerID, name, kpi, value) = item, let wanted = byName[name] else { continue }
            pushed[managerID, default: [:]][wanted, default: [:]][kpi] = value
        }
        return ExternalKPIValue.resolveAll(for: period, pushed: pushed)
    }

    /// A stored value; nil for a KPI no longer in the catalogue or an unreadable value, which is
    /// left out rather than failing the card.
    static func decodePushedValue(_ row: any SQLRow) throws -> (UUID, String, KPI, ExternalKPIValue)? {
        guard let kpi = KPI(rawValue: try row.decode(column: "kpi", as: String.self)),
            let value = Decimal(string: try row.decode(column: "value", as: String.self))
        else { return nil }
        return (
            try row.decode(column: "manager_id", as: UUID.self), try row.decode(column: "period", as: String.self), kpi,
            ExternalKPIValue(value: value, source: try row.decode(column: "source", as: String.self))
        )
    }

    static func kpiValueRecords(period: PlanPeriod, managerID: UUID?, kpi: KPI?, on sql: any SQLDatabase) async throws -> [KPIValueRecord] {
        let manager = managerID.map { SQLQueryString(" AND manager_id = \(bind: $0)") } ?? SQLQueryString("")
        let only = kpi.map { SQLQueryString(" AND kpi = \(bind: $0.rawValue)") } ?? SQLQueryString("")
        let query: SQLQueryString = """
            SELECT manager_id, period, kpi, value, source, set_by, set_at FROM kpi_values
            WHERE period = \(bind: period.description)\(manager)\(only) ORDER BY manager_id, kpi
            """
        let rows = try await sql.raw(query).all()
        return CorruptRows.decode(rows, table: "kpi_values") { row -> KPIValueRecord? in
            guard let (managerID, _, kpi, value) = try Self.decodePushedValue(row) else { return nil }
            return KPIValueRecord(
                managerID: managerID, period: period, kpi: kpi, value: value, setBy: try row.decode(column: "set_by", as: String.self),
                setAt: try row.instant("set_at"))
        }.compactMap { $0 }
    }

    static func storeKPIValue(_ record: KPIValueRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            DELETE FROM kpi_values
            WHERE manager_id = \(bind: record.managerID) AND period = \(bind: record.period.description) AND kpi = \(bind: record.kpi.rawValue)
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO kpi_values (manager_id, period, kpi, value, source, set_by, set_at)
            VALUES (\(bind: record.managerID), \(bind: record.period.description), \(bind: record.kpi.rawValue),
                    \(bind: record.value.value.description), \(bind: record.value.source), \(bind: record.setBy), \(bind: record.setAt))
            """
        ).run()
    }

    static func auditValue(_ record: KPIValueRecord) -> JSONValue {
        .object([
            "period": .string(record.period.description), "kpi": .string(record.kpi.rawValue), "value": .number(record.value.value),
            "source": .string(record.value.source),
        ])
    }
}
