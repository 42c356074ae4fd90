import DealerCore
import Foundation
import SQLKit

/// What a plan import did (or, on a dry run, would do).
public struct PlanImportReport: Sendable, Encodable {
    public var dryRun: Bool
    public var encoding: String
    public var stored: Int
    public var dealers: Int
    public var rejected: [LedgerCSV.Rejection]

    enum CodingKeys: String, CodingKey {
        case encoding, stored, dealers, rejected
        case dryRun = "dry_run"
    }
}

extension Store {
    /// Sets a dealer's plan for a month (replacing any earlier one); audited.
    public func setPlan(dealerID: UUID, period: PlanPeriod, _ draft: SalesPlanDraft, currency: Currency, by actor: Caller) async throws -> SalesPlan {
        guard case .month = period.kind else { throw ValidationError(field: "period", "plans are set per month, e.g. 2026-10") }
        let (amount, quantity) = try draft.validated(currency: currency)
        let plan = SalesPlan(dealerID: dealerID, period: period, amount: amount, quantity: quantity, updatedAt: clock.now(), updatedBy: actor.name)
        return try await writing { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let before = try await sql.raw(
                "SELECT amount_minor FROM sales_plans WHERE dealer_id = \(bind: dealerID) AND period = \(bind: period.description)"
            ).first().map { try $0.decode(column: "amount_minor", as: Int64.self) }
            try await Self.upsert([plan], on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "plan.set", entityType: "dealer", entityID: dealerID.lowercased,
                    before: before.map {
                        .object(["period": .string(period.description), "amount": .string(Money(minorUnits: $0, currency: currency).decimalString)])
                    },
                    after: .object(["period": .string(period.description), "amount": .string(amount.decimalString)])),
                at: plan.updatedAt, on: sql)
            return plan
        }
    }

    /// A dealer's monthly plans in a year, by month.
    public func plans(dealerID: UUID, year: Int) async throws -> [SalesPlan] {
        try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            return try await sql.raw(
                """
                SELECT dealer_id, period, amount_minor, currency, quantity, updated_at, updated_by FROM sales_plans
                WHERE dealer_id = \(bind: dealerID) AND period >= \(bind: "\(year)-01") AND period <= \(bind: "\(year)-12") ORDER BY period
                """
            ).all().map(Self.decodePlan)
        }
    }

    /// Stores every plan of a file in one transaction — or none: a yearly plan half loaded is worse
    /// than none, so any bad cell or unknown dealer rejects the file, each named by line and column.
    /// A dealer the caller may not see (`visibility`) is rejected like an unknown one.
    public func importPlans(
        _ file: PlanCSV, currency: Currency, dryRun: Bool, visibility: DealerVisibility = .all, by actor: Caller
    ) async throws -> PlanImportReport {
        var rejected = file.rejections
        var valid: [(PlanCSV.Row, Money, Decimal?)] = []
        for row in file.rows {
            do {
                let (amount, quantity) = try row.draft.validated(currency: currency)
                valid.append((row, amount, quantity))
            } catch {
                rejected += error.issues.map { LedgerCSV.Rejection(line: row.line, field: $0.field, message: $0.message) }
            }
        }
        let now = clock.now()
        return try await writing { [valid, rejected] sql in
            var rejected = rejected
            let resolved = try await Self.resolveDealers(Array(Set(valid.map(\.0.dealer))), on: sql)
            var visible = Set(resolved.values)
            if visibility != .all {
                visible = []
                for chunk in Array(Set(resolved.values)).chunked(sql.memberChunk) {
                    for row in try await sql.raw(
                        "SELECT id FROM dealers WHERE \(sql.member("id", of: chunk)) AND \(visibility.condition(dealerIDColumn: "id"))"
                    ).all() {
                        visible.insert(try row.decode(column: "id", as: UUID.self))
                    }
                }
            }
            var plans: [SalesPlan] = []
            for (row, amount, quantity) in valid {
                guard let id = resolved[row.dealer] else {
                    rejected.append(LedgerCSV.Rejection(line: row.line, field: "dealer_code", message: "no dealer \(row.dealer)"))
                    continue
                }
                guard visible.contains(id) else {
                    rejected.append(LedgerCSV.Rejection(line: row.line, field: "dealer_code", message: "\(row.dealer) is not one of your dealers"))
                    continue
                }
                plans.append(SalesPlan(dealerID: id, period: row.period, amount: amount, quantity: quantity, updatedAt: now, updatedBy: actor.name))
            }
            rejected.sort { ($0.line, $0.field) < ($1.line, $1.field) }
            var report = PlanImportReport(
                dryRun: dryRun, encoding: file.encoding.rawValue, stored: 0, dealers: Set(plans.map(\.dealerID)).count, rejected: rejected)
            guard rejected.isEmpty, !dryRun else { return report }
            for chunk in plans.chunked(500) { try await Self.upsert(chunk, on: sql) }
            report.stored = plans.count
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "plan.import", entityType: "plan", entityID: "import",
                    before: nil, after: .object(["plans": .number(Decimal(plans.count)), "dealers": .number(Decimal(report.dealers))])),
                at: now, on: sql)
            return report
        }
    }

    static func upsert(_ plans: [SalesPlan], on sql: any SQLDatabase) async throws {
        guard !plans.isEmpty else { return }
        let rows: [SQLQueryString] = plans.map { plan in
            """
            (\(bind: plan.dealerID), \(bind: plan.period.description), \(bind: plan.amount.minorUnits), \(bind: plan.amount.currency.code),
             \(bind: plan.quantity.map { "\($0)" }), \(bind: plan.updatedAt), \(bind: plan.updatedBy))
            """
        }
        try await sql.raw(
            """
            INSERT INTO sales_plans (dealer_id, period, amount_minor, currency, quantity, updated_at, updated_by)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (dealer_id, period) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
                quantity = excluded.quantity, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """
        ).run()
    }

    static func decodePlan(_ row: any SQLRow) throws -> SalesPlan {
        let currency = Currency(code: try row.decode(column: "currency", as: String.self)) ?? .rub
        return SalesPlan(
            dealerID: try row.decode(column: "dealer_id", as: UUID.self),
            period: PlanPeriod(parsing: try row.decode(column: "period", as: String.self)) ?? PlanPeriod(year: 1970, kind: .year),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            quantity: try row.decode(column: "quantity", as: String?.self).flatMap { Decimal(string: $0) },
            updatedAt: try row.instant("updated_at"), updatedBy: try row.decode(column: "updated_by", as: String.self))
    }
}
