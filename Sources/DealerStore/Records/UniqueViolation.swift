import Foundation
import PostgresNIO
import SQLiteNIO

/// Recognises a unique-constraint failure from either database: the backstop when two requests race
/// past the store's own duplicate check.
enum UniqueViolation {
    static func matches(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
                || (error.reason == .constraint && error.message.contains("UNIQUE"))
        }
        return false
    }
}
