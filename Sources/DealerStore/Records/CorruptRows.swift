import Foundation
import Logging
import Metrics
import SQLKit

/// Rows that cannot be read back (edited by hand, written by an older or broken version) are
/// reported and left out of a list, so one of them does not make a dealer's ledger or the dealer list
/// answer 500 for ever. Each is logged with its table and id, and counted in
/// `dealerd_store_corrupt_rows{table}` for an alert; the row itself stays as it is for an operator.
enum CorruptRows {
    static let logger = Logger(label: "dealerd.store")

    /// The rows that decode; the others reported and skipped.
    static func decode<Item>(_ rows: some Sequence<any SQLRow>, table: String, _ decode: (any SQLRow) throws -> Item) -> [Item] {
        var items: [Item] = []
        for row in rows {
            do {
                items.append(try decode(row))
            } catch {
                report(row, table: table, error: error)
            }
        }
        return items
    }

    static func report(_ row: any SQLRow, table: String, error: any Error) {
        let id = (try? row.decode(column: "id", as: UUID.self))?.uuidString.lowercased() ?? "?"
        logger.error(
            "a stored row cannot be read and is left out; repair or remove it",
            metadata: ["table": .string(table), "id": .string(id), "error": .string("\(error)")])
        Counter(label: "dealerd_store_corrupt_rows", dimensions: [("table", table)]).increment()
    }
}

extension Array where Element == any SQLRow {
    func corruptRowsSkipped<Item>(table: String, _ decode: (any SQLRow) throws -> Item) -> [Item] {
        CorruptRows.decode(self, table: table, decode)
    }
}
