import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded database: one SQLite file in WAL mode.
///
/// Writes go through one connection, a transaction at a time (SQLite has one writer anyway); reads use
/// a second connection, which in WAL mode sees the last committed state and never waits for a writer.
public final class SQLiteStoreDatabase: StoreDatabase {
    public let flavor = SQLFlavor.sqlite
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection
    private let writeLock = AsyncSerialLock()

    private init(writer: SQLiteConnection, reader: SQLiteConnection) {
        self.writer = writer
        self.reader = reader
    }

    /// Opens (and creates) the file, creating its folder when missing. An in-memory database uses one
    /// connection for both roles, since in-memory databases cannot be shared between connections.
    public static func open(_ url: DatabaseURL, logger: Logger) async throws -> SQLiteStoreDatabase {
        switch url {
        case .sqliteMemory:
            let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
            try await configure(connection, wal: false)
            return SQLiteStoreDatabase(writer: connection, reader: connection)
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await configure(writer, wal: true)
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await configure(reader, wal: true)
            return SQLiteStoreDatabase(writer: writer, reader: reader)
        case .postgres:
            throw DatabaseURL.Invalid(description: "a PostgreSQL URL is not an SQLite database")
        }
    }

    private static func configure(_ connection: SQLiteConnection, wal: Bool) async throws {
        let sql = connection.sql(queryLogLevel: nil)
        if wal { _ = try await sql.raw("PRAGMA journal_mode=WAL").all() }
        try await sql.raw("PRAGMA busy_timeout=30000").run()
        try await sql.raw("PRAGMA foreign_keys=ON").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if reader === writer {
            // One in-memory connection: reads must not slip into the middle of a write transaction.
            return try await writeLock.withLock { try await body(self.reader.sql(queryLogLevel: nil)) }
        }
        return try await body(reader.sql(queryLogLevel: nil))
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            // IMMEDIATE takes the write lock now, so another process fails fast here, not mid-transaction.
            try await self.control("BEGIN IMMEDIATE")
            do {
                let result = try await body(self.writer.sql(queryLogLevel: nil))
                try await self.control("COMMIT")
                return result
            } catch {
                try? await self.control("ROLLBACK")
                throw error
            }
        }
    }

    /// BEGIN, COMMIT and ROLLBACK go through the future-based API: the async one refuses to run in a
    /// cancelled task, and a cancelled request must still roll back, or the shared connection would
    /// be left inside its transaction.
    private func control(_ statement: String) async throws {
        let done: EventLoopFuture<[SQLiteRow]> = writer.query(statement, [])
        _ = try await done.get()
    }

    /// Closes both connections. Uses the future-based close: the async one refuses to run in a
    /// cancelled task, and shutdown often is one, which would leave the file open.
    public func close() async {
        let closing: EventLoopFuture<Void> = writer.close()
        try? await closing.get()
        if reader !== writer {
            let closingReader: EventLoopFuture<Void> = reader.close()
            try? await closingReader.get()
        }
    }
}
