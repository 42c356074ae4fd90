import Foundation

/// Receivables across dealers by how long they are past due, as of a date (ERPNext's "Accounts
/// Receivable Summary", 1C's analysis of receivables by terms): a row per dealer with a balance,
/// groups by manager, region or segment, and totals. Amounts in minor units of `currency`.
public struct AgeingReport: Sendable, Equatable {
    public enum Grouping: String, Sendable, CaseIterable {
        case manager, region, segment
    }

    public struct Row: Sendable, Equatable {
        public var dealerID: UUID
        public var code: String
        public var name: String
        public var managerID: UUID?
        public var managerName: String?
        public var region: String?
        public var segment: String?
        /// The balance on the day; negative when the dealer has paid in advance.
        public var balance: Int64
        public var buckets: AgeingBuckets

        public init(
            dealerID: UUID, code: String, name: String, managerID: UUID?, managerName: String?, region: String?, segment: String?,
            balance: Int64, buckets: AgeingBuckets
        ) {
            self.dealerID = dealerID
            self.code = code
            self.name = name
            self.managerID = managerID
            self.managerName = managerName
            self.region = region
            self.segment = segment
            self.balance = balance
            self.buckets = buckets
        }
    }

    public struct Group: Sendable, Equatable {
        /// The manager's id, the region or the segment; nil for dealers without one.
        public var key: String?
        public var name: String?
        public var dealers: Int
        public var balance: Int64
        public var buckets: AgeingBuckets
    }

    public var asOf: CivilDate
    public var currency: Currency
    public var groupBy: Grouping?
    /// Largest balance first.
    public var rows: [Row]
    public var groups: [Group]
    public var total: Group

    /// The report from each dealer's row: sorted, grouped and totalled.
    public init(asOf: CivilDate, currency: Currency, groupBy: Grouping?, rows: [Row]) {
        self.asOf = asOf
        self.currency = currency
        self.groupBy = groupBy
        self.rows = rows.sorted { ($0.balance, $1.code) > ($1.balance, $0.code) }
        func sum(_ rows: [Row], key: String?, name: String?) -> Group {
            var group = Group(key: key, name: name, dealers: rows.count, balance: 0, buckets: AgeingBuckets())
            for row in rows {
                group.balance = group.balance.saturating(adding: row.balance)
                group.buckets.add(row.buckets)
            }
            return group
        }
        total = sum(rows, key: nil, name: nil)
        guard let groupBy else {
            groups = []
            return
        }
        let grouped = Dictionary(grouping: self.rows) { row -> String? in
            switch groupBy {
            case .manager: row.managerID?.lowercased
            case .region: row.region
            case .segment: row.segment
            }
        }
        groups = grouped.map { key, rows in
            sum(rows, key: key, name: groupBy == .manager ? rows.first?.managerName : key)
        }.sorted { ($0.buckets.overdue, $1.name ?? "") > ($1.buckets.overdue, $0.name ?? "") }
    }
}
