import Foundation
import PostgresNIO
import SQLiteNIO

/// Recognises a sum the database could not hold: PostgreSQL's `numeric_value_out_of_range` (a
/// `CAST(SUM(…) AS BIGINT)` past Int64, SQLSTATE 22003) and SQLite's "integer overflow". Amounts
/// are bounded at input, so only a ledger of absurd totals gets here; the HTTP edge answers it as
/// a 422 instead of a 500, and nothing is written (the transaction rolls back).
public enum NumericOverflow {
    public static func matches(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "22003"
        }
        if let error = error as? SQLiteError {
            return error.message.localizedCaseInsensitiveContains("integer overflow")
        }
        return false
    }
}
