import SQLKit

extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }

    /// `column` is one of `values`: a single array parameter on PostgreSQL (`= ANY($1)`, planned the
    /// same however many values), a list of parameters on SQLite.
    func member<Value: Encodable & Sendable>(_ column: String, of values: [Value]) -> SQLQueryString {
        isPostgres ? "\(unsafeRaw: column) = ANY(\(bind: values))" : "\(unsafeRaw: column) IN (\(binds: values))"
    }

    /// How many values one `member(_:of:)` should hold: SQLite allows 32,766 parameters per statement.
    var memberChunk: Int { isPostgres ? 10_000 : 500 }
}
