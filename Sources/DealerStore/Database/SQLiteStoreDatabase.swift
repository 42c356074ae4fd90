import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded database: one SQLite file in WAL mode.
///
/// Writes go through one connection, a transaction at a time (SQLite has one writer anyway); reads use
/// a second connection, which in WAL mode sees the last committed state and never waits for a writer.
///
/// Each connection runs its blocking calls on a thread of its own. On NIO's shared blocking pool
/// (as many threads as cores) a connection waiting out `busy_timeout` for another connection's
/// lock held a thread that every other database in the process needed, bcrypt too: two such
/// waits stalled them all, including the writer whose commit would have ended the wait.
public final class SQLiteStoreDatabase: StoreDatabase {
    public let flavor = SQLFlavor.sqlite
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection
    private let threads: [NIOThreadPool]
    private let writeLock = AsyncSerialLock()

    private init(writer: SQLiteConnection, reader: SQLiteConnection, threads: [NIOThreadPool]) {
        self.writer = writer
        self.reader = reader
        self.threads = threads
    }

    /// Opens (and creates) the file, creating its folder when missing. An in-memory database uses one
    /// connection for both roles, since in-memory databases cannot be shared between connections.
    public static func open(_ url: DatabaseURL, logger: Logger) async throws -> SQLiteStoreDatabase {
        switch url {
        case .sqliteMemory:
            let thread = startedThread()
            do {
                let connection = try await open(.memory, on: thread, logger: logger)
                try await configure(connection, wal: false)
                return SQLiteStoreDatabase(writer: connection, reader: connection, threads: [thread])
            } catch {
                try? await thread.shutdownGracefully()
                throw error
            }
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let writerThread = startedThread()
            let readerThread = startedThread()
            var opened: [SQLiteConnection] = []
            do {
                let writer = try await open(.file(path: path), on: writerThread, logger: logger)
                opened.append(writer)
                try await configure(writer, wal: true)
                let reader = try await open(.file(path: path), on: readerThread, logger: logger)
                opened.append(reader)
                try await configure(reader, wal: true)
                return SQLiteStoreDatabase(writer: writer, reader: reader, threads: [writerThread, readerThread])
            } catch {
                for connection in opened {
                    let closing: EventLoopFuture<Void> = connection.close()
                    try? await closing.get()
                }
                try? await writerThread.shutdownGracefully()
                try? await readerThread.shutdownGracefully()
                throw error
            }
        case .postgres:
            throw DatabaseURL.Invalid(description: "a PostgreSQL URL is not an SQLite database")
        }
    }

    private static func startedThread() -> NIOThreadPool {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        return thread
    }

    private static func open(
        _ storage: SQLiteConnection.Storage, on thread: NIOThreadPool, logger: Logger
    ) async throws
        -> SQLiteConnection
    {
        try await SQLiteConnection.open(
            storage: storage, threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
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
        // Not the async shutdown: like the connections' close, it must run in a cancelled task too.
        for thread in threads {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                thread.shutdownGracefully { _ in done.resume() }
            }
        }
    }
}
