import DealerCore
import Foundation
import SQLKit

/// Lists dealers in the order people alphabetise names (see `DealerQuery.sortKey`), which neither
/// database's default collation gives for Cyrillic without ICU.
struct AddSortKeyToDealers: Migration {
    let version = 8
    let name = "add_sort_key_to_dealers"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw("ALTER TABLE dealers ADD COLUMN sort_key TEXT").run()
        // Computed here rather than in SQL: SQLite's lower() folds ASCII only.
        for row in try await sql.raw("SELECT id, name FROM dealers").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let name = try row.decode(column: "name", as: String.self)
            try await sql.raw("UPDATE dealers SET sort_key = \(bind: DealerQuery.sortKey(forName: name)) WHERE id = \(bind: id)").run()
        }
        try await sql.raw("CREATE INDEX dealers_sort_key_id ON dealers (sort_key, id)").run()
    }
}
