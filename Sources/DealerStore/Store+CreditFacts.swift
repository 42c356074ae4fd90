import DealerCore
import Foundation
import PostgresNIO
import SQLKit

/// What a credit check reads about a dealer, in one round trip: its status, the terms in force and
/// the balance projection.
struct CreditFacts: Sendable {
    var code: String
    var status: DealerStatus
    var policy: CreditPolicy?
    /// The projection's figures and the day they are of (nil: no projection yet).
    var projection: (figures: CreditFigures, asOf: String)?

    /// The joins are spelled out rather than read through the effective_credit_policies view, whose
    /// plan costs more than running it.
    static let select = """
        SELECT d.code, d.status, \(policyColumns),
               b.balance_minor, b.overdue_minor, b.max_days_overdue, b.overdue_beyond_grace_minor, b.days_beyond_grace, b.as_of
        FROM dealers d LEFT JOIN credit_policies own ON own.dealer_id = d.id
             LEFT JOIN segment_credit_policies seg ON seg.segment = d.segment
             LEFT JOIN dealer_balances b ON b.dealer_id = d.id
        """

    /// The columns of `effective_credit_policies`, from `own` (credit_policies) and `seg`
    /// (segment_credit_policies) joined to a dealer.
    static let policyColumns =
        [
            "currency", "limit_minor", "payment_term_days", "grace_days", "allowed_overdue_days", "minimum_overdue_minor", "warning_percent",
            "hard_block",
        ]
        .map { "CASE WHEN own.dealer_id IS NULL THEN seg.\($0) ELSE own.\($0) END AS \($0)" }.joined(separator: ", ")
        + ", CASE WHEN own.dealer_id IS NULL THEN seg.segment END AS policy_segment"

    /// Through SQLKit: SQLite, and PostgreSQL outside the server's hot path.
    static func read(dealerID: UUID, on sql: any SQLDatabase) async throws -> CreditFacts? {
        guard let row = try await sql.raw("\(unsafeRaw: select) WHERE d.id = \(bind: dealerID)").first() else { return nil }
        return try CreditFacts(SQLKitColumns(row: row))
    }

    /// Through a prepared statement on PostgreSQL: parsed and planned once per connection, which is
    /// most of what a check costs the database.
    static func read(dealerID: UUID, on client: PostgresClient) async throws -> CreditFacts? {
        for try await facts in try await client.execute(Statement(dealerID: dealerID)) { return facts }
        return nil
    }

    struct Statement: PostgresPreparedStatement {
        static let name = "dealerd_credit_facts_v1"
        static let sql = CreditFacts.select + " WHERE d.id = $1"
        typealias Row = CreditFacts

        var dealerID: UUID

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(dealerID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> CreditFacts {
            try CreditFacts(PostgresColumns(row: PostgresRandomAccessRow(row)))
        }
    }

    init(_ columns: some FactColumns) throws {
        code = try columns.text("code") ?? ""
        guard let status = DealerStatus(rawValue: try columns.text("status") ?? "") else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored dealer status is unknown"))
        }
        self.status = status
        policy = try Self.policy(from: columns)
        if let asOf = try columns.text("as_of") {
            projection = (
                CreditFigures(
                    balance: try columns.integer("balance_minor") ?? 0, overdue: try columns.integer("overdue_minor") ?? 0,
                    daysOverdue: Int(try columns.integer("max_days_overdue") ?? 0),
                    overdueBeyondGrace: try columns.integer("overdue_beyond_grace_minor") ?? 0,
                    daysBeyondGrace: Int(try columns.integer("days_beyond_grace") ?? 0)),
                asOf
            )
        }
    }
}

extension CreditFacts {
    /// A policy from the columns of `credit_policies`, `segment_credit_policies` or the effective
    /// terms (`policy_segment` naming a segment's default); nil when the row has no terms.
    static func policy(from columns: some FactColumns) throws -> CreditPolicy? {
        guard let limit = try columns.integer("limit_minor"), let code = try columns.text("currency") else { return nil }
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored currency \(code) is unknown"))
        }
        return CreditPolicy(
            limit: Money(minorUnits: limit, currency: currency), paymentTermDays: Int(try columns.integer("payment_term_days") ?? 0),
            graceDays: Int(try columns.integer("grace_days") ?? 0), allowedOverdueDays: Int(try columns.integer("allowed_overdue_days") ?? 0),
            minimumOverdue: Money(minorUnits: try columns.integer("minimum_overdue_minor") ?? 0, currency: currency),
            warningPercent: Int(try columns.integer("warning_percent") ?? 80), hardBlock: try columns.flag("hard_block") ?? true,
            segment: try columns.text("policy_segment"))
    }
}

/// The facts' columns by name, whichever driver read them.
protocol FactColumns {
    func text(_ name: String) throws -> String?
    func integer(_ name: String) throws -> Int64?
    func flag(_ name: String) throws -> Bool?
}

struct SQLKitColumns: FactColumns {
    let row: any SQLRow
    /// A column the row does not have reads as absent (a policy row from a table has no `policy_segment`).
    func text(_ name: String) throws -> String? { row.contains(column: name) ? try row.decode(column: name, as: String?.self) : nil }
    func integer(_ name: String) throws -> Int64? { try row.decode(column: name, as: Int64?.self) }
    func flag(_ name: String) throws -> Bool? { try row.decode(column: name, as: Bool?.self) }
}

private struct PostgresColumns: FactColumns {
    let row: PostgresRandomAccessRow
    func text(_ name: String) throws -> String? { try row[name].decode(String?.self) }
    func integer(_ name: String) throws -> Int64? { try row[name].decode(Int64?.self) }
    func flag(_ name: String) throws -> Bool? { try row[name].decode(Bool?.self) }
}
