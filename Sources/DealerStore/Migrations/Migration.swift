import Foundation
import SQLKit

/// One released change to the schema. Append-only: a migration that has shipped is never edited;
/// a later one changes what it made.
protocol Migration: Sendable {
    /// Applied in ascending order; unique.
    var version: Int { get }
    /// Says what the migration does: `create_dealers`.
    var name: String { get }
    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws
}

/// The column types that differ between the two databases, named once.
struct ColumnTypes: Sendable {
    let flavor: SQLFlavor

    /// PostgreSQL has a native uuid; SQLite stores the canonical text form.
    var uuid: String { flavor == .postgres ? "UUID" : "TEXT" }
    /// PostgreSQL `timestamptz`; SQLite a REAL of Unix seconds (what sqlite-nio binds a Date as).
    var instant: String { flavor == .postgres ? "TIMESTAMPTZ" : "REAL" }
    var bool: String { flavor == .postgres ? "BOOLEAN" : "INTEGER" }
    /// A JSON document kept as text on both, so it binds as a plain string everywhere.
    var json: String { "TEXT" }
    /// An increasing row number, used as a feed cursor.
    var sequenceKey: String {
        flavor == .postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
    }
}
