import DealerCore
import Foundation
import SQLKit

/// A stored value that none of this build's cases names: a row written by a newer dealerd or by hand.
struct UnknownStoredValue: Error, CustomStringConvertible {
    var column: String
    var value: String
    var description: String { "column \(column) holds \"\(value)\", which this build does not know" }
}

extension SQLRow {
    /// A text column read as one of our enums. An unknown value is an error, never quietly replaced
    /// by a default that would misreport what happened.
    func enumeration<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text = try decode(column: column, as: String.self)
        guard let value = T(rawValue: text) else { throw UnknownStoredValue(column: column, value: text) }
        return value
    }
}
