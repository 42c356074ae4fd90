import DealerCore
import Foundation
import SQLKit

extension SQLRow {
    /// An instant column, rounded to the millisecond dealerd writes: PostgreSQL keeps microseconds and
    /// SQLite a double, and either may hand back a neighbouring binary fraction of the value written.
    func instant(_ column: String) throws -> Date {
        Timestamp.truncated(try decode(column: column, as: Date.self))
    }

    func optionalInstant(_ column: String) throws -> Date? {
        try decode(column: column, as: Date?.self).map(Timestamp.truncated)
    }
}
