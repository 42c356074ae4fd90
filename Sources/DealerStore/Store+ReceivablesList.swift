import DealerCore
import Foundation
import SQLKit

/// Filters and order of the receivables list across dealers.
public struct ReceivablesQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case balance
        case utilization
        case overdue
        case daysOverdue = "days_overdue"
    }

    public enum StateFilter: String, Sendable, CaseIterable {
        case ok
        case warning
        case breached
        case overdue
    }

    public var managerID: UUID?
    /// One dealer's line (the bot's `/dealer КОД`).
    public var dealerID: UUID?
    public var region: String?
    public var segment: String?
    public var state: StateFilter?
    public var sort: Sort
    public var offset: Int
    public var limit: Int
    /// Whose dealers the caller may see (`auth.manager_scope`).
    public var visibility: DealerVisibility = .all

    public init(
        managerID: UUID? = nil, region: String? = nil, segment: String? = nil, state: StateFilter? = nil, sort: Sort = .balance,
        offset: Int = 0, limit: Int = 50
    ) {
        self.managerID = managerID
        self.region = region
        self.segment = segment
        self.state = state
        self.sort = sort
        self.offset = offset
        self.limit = limit
    }
}

/// One dealer's line in the receivables list, from the balance projection.
public struct ReceivablesLine: Sendable, Equatable, Encodable {
    public var dealerID: UUID
    public var code: String
    public var name: String
    public var region: String?
    public var segment: String?
    public var managerID: UUID?
    public var currency: Currency
    public var balance: Int64
    public var limit: Int64?
    public var overdue: Int64
    public var daysOverdue: Int
    public var creditState: CreditState
    public var overdueState: OverdueState

    public var utilizationPercent: Int? { limit.flatMap { ExactShare.percent(balance, of: $0) } }

    enum CodingKeys: String, CodingKey {
        case code, name, region, segment, currency, balance, limit, overdue
        case dealerID = "dealer_id"
        case managerID = "manager_id"
        case available
        case utilizationPercent = "utilization_percent"
        case daysOverdue = "days_overdue"
        case creditState = "credit_state"
        case overdueState = "overdue_state"
    }

    public func encode(to encoder: any Encoder) throws {
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(region, forKey: .region)
        try container.encode(segment, forKey: .segment)
        try container.encode(managerID?.lowercased, forKey: .managerID)
        try container.encode(currency.code, forKey: .currency)
        try container.encode(money(balance), forKey: .balance)
        try container.encode(limit.map(money), forKey: .limit)
        try container.encode(limit.flatMap { ExactShare.difference($0, balance) }.map(money), forKey: .available)
        try container.encode(utilizationPercent, forKey: .utilizationPercent)
        try container.encode(money(overdue), forKey: .overdue)
        try container.encode(daysOverdue, forKey: .daysOverdue)
        try container.encode(creditState, forKey: .creditState)
        try container.encode(overdueState, forKey: .overdueState)
    }
}

/// Sums of the filtered list, per currency.
public struct ReceivablesTotal: Sendable, Equatable, Encodable {
    public var currency: Currency
    public var dealers: Int
    public var balance: Int64
    public var overdue: Int64

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currency.code, forKey: .currency)
        try container.encode(dealers, forKey: .dealers)
        try container.encode(Money(minorUnits: balance, currency: currency).decimalString, forKey: .balance)
        try container.encode(Money(minorUnits: overdue, currency: currency).decimalString, forKey: .overdue)
    }

    enum CodingKeys: String, CodingKey { case currency, dealers, balance, overdue }
}

extension Store {
    /// Dealers' receivables from the projection (never summed from entries), filtered and sorted,
    /// with totals of the whole filtered set.
    public func receivablesList(_ query: ReceivablesQuery) async throws -> (lines: [ReceivablesLine], totals: [ReceivablesTotal], more: Bool) {
        try await database.read { sql in
            var conditions: [SQLQueryString] = ["1 = 1"]
            if let manager = query.managerID { conditions.append("d.manager_id = \(bind: manager)") }
            if let dealer = query.dealerID { conditions.append("d.id = \(bind: dealer)") }
            if query.visibility != .all { conditions.append(query.visibility.condition(dealerIDColumn: "d.id")) }
            if let region = query.region { conditions.append("d.region = \(bind: region)") }
            if let segment = query.segment { conditions.append("d.segment = \(bind: segment)") }
            switch query.state {
            case .overdue?: conditions.append("b.overdue_state = 'overdue'")
            case let state?: conditions.append("b.credit_state = \(bind: state.rawValue)")
            case nil: break
            }
            let filter = conditions.joined(separator: " AND ")
            let order: String =
                switch query.sort {
                case .balance: "b.balance_minor DESC"
                case .overdue: "b.overdue_minor DESC"
                case .daysOverdue: "b.max_days_overdue DESC, b.overdue_minor DESC"
                case .utilization:
                    "CASE WHEN p.limit_minor > 0 THEN b.balance_minor * 10000 / p.limit_minor ELSE -1 END DESC"
                }
            let rows = try await sql.raw(
                """
                SELECT d.id, d.code, d.name, d.region, d.segment, d.manager_id, b.currency, b.balance_minor, b.overdue_minor,
                       b.max_days_overdue, b.credit_state, b.overdue_state, p.limit_minor
                FROM dealer_balances b JOIN dealers d ON d.id = b.dealer_id LEFT JOIN effective_credit_policies p ON p.dealer_id = b.dealer_id
                WHERE \(filter)
                ORDER BY \(unsafeRaw: order), d.code
                LIMIT \(literal: query.limit + 1) OFFSET \(literal: query.offset)
                """
            ).all()
            let lines = try rows.prefix(query.limit).map { row in
                let code = try row.decode(column: "currency", as: String.self)
                return ReceivablesLine(
                    dealerID: try row.decode(column: "id", as: UUID.self),
                    code: try row.decode(column: "code", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    region: try row.decode(column: "region", as: String?.self),
                    segment: try row.decode(column: "segment", as: String?.self),
                    managerID: try row.decode(column: "manager_id", as: UUID?.self),
                    currency: Currency(code: code) ?? .rub,
                    balance: try row.decode(column: "balance_minor", as: Int64.self),
                    limit: try row.decode(column: "limit_minor", as: Int64?.self),
                    overdue: try row.decode(column: "overdue_minor", as: Int64.self),
                    daysOverdue: try row.decode(column: "max_days_overdue", as: Int.self),
                    creditState: try row.enumeration("credit_state", as: CreditState.self),
                    overdueState: try row.enumeration("overdue_state", as: OverdueState.self))
            }
            let totals = try await sql.raw(
                """
                SELECT b.currency, COUNT(*) AS dealers, CAST(SUM(b.balance_minor) AS BIGINT) AS balance,
                       CAST(SUM(b.overdue_minor) AS BIGINT) AS overdue
                FROM dealer_balances b JOIN dealers d ON d.id = b.dealer_id WHERE \(filter)
                GROUP BY b.currency ORDER BY b.currency
                """
            ).all().map { row in
                ReceivablesTotal(
                    currency: Currency(code: try row.decode(column: "currency", as: String.self)) ?? .rub,
                    dealers: try row.decode(column: "dealers", as: Int.self),
                    balance: try row.decode(column: "balance", as: Int64.self),
                    overdue: try row.decode(column: "overdue", as: Int64.self))
            }
            return (lines, totals, rows.count > query.limit)
        }
    }
}
