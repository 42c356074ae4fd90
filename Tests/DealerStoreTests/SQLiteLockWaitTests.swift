import DealerStore
import DealerTestSupport
import Foundation
import Logging
import SQLKit
import Testing

/// Connections that wait for SQLite's write lock must not keep the lock's holder from finishing.
@Suite("SQLite lock waits")
struct SQLiteLockWaitTests {
    /// More writers wait for one file's lock than NIO's shared blocking pool has threads. Each waits
    /// on its own thread, so the holder goes on to commit, and every waiter then writes. On the
    /// shared pool the waiters held every thread, the holder could not run its next statement, and
    /// the waiters gave up after `busy_timeout` with "database is locked".
    @Test func writersWaitingForTheLockLetItsHolderCommit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-lockwait-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = DatabaseURL.sqliteFile(path: folder.appendingPathComponent("dealerd.sqlite").path)
        let logger = Logger(label: "lock-wait-test")
        let holder = try await SQLiteStoreDatabase.open(url, logger: logger)
        try await holder.transaction { sql in try await sql.raw("CREATE TABLE marks (writer TEXT NOT NULL)").run() }
        let waiterCount = ProcessInfo.processInfo.activeProcessorCount + 1
        var waiters: [SQLiteStoreDatabase] = []
        for _ in 0..<waiterCount { waiters.append(try await SQLiteStoreDatabase.open(url, logger: logger)) }
        let unrelated = try await SQLiteStoreDatabase.open(
            .sqliteFile(path: folder.appendingPathComponent("other.sqlite").path), logger: logger)
        // An unclosed connection traps when it is freed: close them all, whatever the outcome.
        var failure: (any Error)?
        do { try await Self.contend(holder: holder, waiters: waiters, unrelated: unrelated) } catch { failure = error }
        await unrelated.close()
        for waiter in waiters { await waiter.close() }
        await holder.close()
        if let failure { throw failure }
    }

    private static func contend(
        holder: SQLiteStoreDatabase, waiters: [SQLiteStoreDatabase], unrelated: SQLiteStoreDatabase
    )
        async throws
    {
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holding = Task {
            try await holder.transaction { sql in
                try await sql.raw("INSERT INTO marks (writer) VALUES ('holder, first')").run()
                started.continuation.yield()
                for await _ in release.stream { break }
                try await sql.raw("INSERT INTO marks (writer) VALUES ('holder, second')").run()
            }
        }
        for await _ in started.stream { break }
        let writing = waiters.enumerated().map { index, waiter in
            Task {
                try await waiter.transaction { sql in
                    try await sql.raw("INSERT INTO marks (writer) VALUES (\(bind: "waiter \(index)"))").run()
                }
            }
        }
        // Gives the waiters time to block on the lock; a waiter that starts later only waits less.
        try await Task.sleep(for: .milliseconds(300))
        // Another file in the same process is not held up by the waiting either.
        let other = try await unrelated.read { sql in try await sql.raw("SELECT 1 AS one").all().count }
        #expect(other == 1)
        release.continuation.yield()
        try await holding.value
        for task in writing { try await task.value }

        let rows = try await holder.read { sql in try await sql.raw("SELECT writer FROM marks").all() }
        let writers = Set(rows.compactMap { try? $0.decode(column: "writer", as: String.self) })
        #expect(writers == Set(["holder, first", "holder, second"] + waiters.indices.map { "waiter \($0)" }))
    }
}
