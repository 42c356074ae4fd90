import DealerCore
import Foundation
import SQLKit

/// A stored date that does not read as one: the row was written by something other than dealerd.
struct UnreadableDate: Error, CustomStringConvertible {
    var column: String
    var text: String

    var description: String { "column \(column) holds \(text), which is not a date" }
}

extension SQLRow {
    /// A date column (stored as `2026-11-25` text on both databases).
    func civilDate(_ column: String) throws -> CivilDate {
        let text = try decode(column: column, as: String.self)
        guard let date = CivilDate(stored: text) else { throw UnreadableDate(column: column, text: text) }
        return date
    }

    func optionalCivilDate(_ column: String) throws -> CivilDate? {
        guard let text = try decode(column: column, as: String?.self) else { return nil }
        guard let date = CivilDate(stored: text) else { throw UnreadableDate(column: column, text: text) }
        return date
    }
}
