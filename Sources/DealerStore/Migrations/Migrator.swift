import DealerCore
import Foundation
import Logging
import SQLKit

/// What the schema looks like compared with what this build of dealerd expects.
public struct MigrationStatus: Sendable, Equatable {
    public var appliedVersion: Int
    public var latestVersion: Int
    public var isCurrent: Bool { appliedVersion == latestVersion }
}

public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension Store {
    /// Applies every pending migration in one transaction and returns the names applied.
    ///
    /// Several replicas may start at once: on PostgreSQL an advisory lock makes the others wait and
    /// then find nothing left to do; on SQLite `BEGIN IMMEDIATE` does the same.
    /// `through` stops at a version (tests of a migration's effect on existing data).
    @discardableResult
    public func migrate(logger: Logger, through last: Int = Int.max) async throws -> [String] {
        let flavor = database.flavor
        return try await database.transaction { sql in
            if flavor == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: LockKeys.migrations))").run()
            }
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            ).run()
            let applied = Set(
                try await sql.raw("SELECT version FROM schema_migrations").all().map {
                    try $0.decode(column: "version", as: Int.self)
                })
            if let unknown = applied.max(), unknown > Migrations.latestVersion {
                throw MigrationError(
                    description:
                        "the database is at schema version \(unknown), newer than this dealerd knows (\(Migrations.latestVersion)): run a newer dealerd"
                )
            }
            var names: [String] = []
            let types = ColumnTypes(flavor: flavor)
            for migration in Migrations.all.sorted(by: { $0.version < $1.version })
            where !applied.contains(migration.version) && migration.version <= last {
                try await migration.prepare(on: sql, types: types)
                try await sql.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.format(Date())))
                    """
                ).run()
                logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                names.append(migration.name)
            }
            return names
        }
    }

    /// The schema version in the database; 0 before the first migration.
    public func migrationStatus() async throws -> MigrationStatus {
        let flavor = database.flavor
        let applied = try await database.read { sql in
            let tableQuery: SQLQueryString =
                flavor == .postgres
                ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
                : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            let tables = try await sql.raw(tableQuery).first()?.decode(column: "n", as: Int.self) ?? 0
            guard tables > 0 else { return 0 }
            return try await sql.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?
                .decode(column: "v", as: Int?.self) ?? 0
        }
        return MigrationStatus(appliedVersion: applied, latestVersion: Migrations.latestVersion)
    }
}

/// PostgreSQL advisory lock keys, one per purpose.
enum LockKeys {
    static let migrations: Int64 = 0x6465_616C_6572_0001
    /// Held while an event is appended, so the feed's sequence follows commit order.
    static let outbox: Int64 = 0x6465_616C_6572_0002
    /// Held while a dealer is accredited, so two dealers of one territory cannot both take its last place.
    static let accreditation: Int64 = 0x6465_616C_6572_0003
}
