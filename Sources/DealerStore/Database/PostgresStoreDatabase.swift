import Foundation
import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's connection pool. The client is a `Service`: it must be running
/// (in the service group, or `withRunning`) before the first query.
public final class PostgresStoreDatabase: StoreDatabase {
    public let flavor = SQLFlavor.postgres
    public var postgres: PostgresStoreDatabase? { self }
    public let client: PostgresClient
    private let logger: Logger

    public init(url: String, maxConnections: Int = 20, logger: Logger) throws {
        let parsed = try SQLPostgresConfiguration(url: url)
        let core = parsed.coreConfiguration
        guard let host = core.host, let port = core.port else {
            throw DatabaseURL.Invalid(description: "only TCP connections to PostgreSQL are supported")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: core.username, password: core.password,
            database: core.database, tls: Self.tls(for: core.tls))
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 0
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// The URL's `sslmode` carried over: `require` enforces TLS, `prefer` (the default) tries it.
    private static func tls(for mode: PostgresConnection.Configuration.TLS) -> PostgresClient.Configuration.TLS {
        if mode.isEnforced { return .require(.makeClientConfiguration()) }
        if mode.isAllowed { return .prefer(.makeClientConfiguration()) }
        return .disable
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil, logger: self.logger))
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection.sql(queryLogLevel: nil, logger: self.logger))
            }
        } catch let error as PostgresTransactionError {
            // Callers handle the error their own code threw (a 409, a 422), as they do on SQLite.
            if let rollback = error.rollbackError {
                logger.warning("rollback failed", metadata: ["error": .string(String(reflecting: rollback))])
            }
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// Runs `body` while the client's pool runs beside it: for CLI commands that live outside the
    /// service group.
    public func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await self.client.run()
                return nil
            }
            defer { group.cancelAll() }
            // Give run() a moment to start: a lease requested before it logs a warning (postgres-nio
            // 1.33 "run() hasn't been called yet"), though it would wait and succeed.
            try await Task.sleep(for: .milliseconds(10))
            return try await body()
        }
    }
}

extension PostgresStoreDatabase {
    /// Rings on every commit that appended events (the outbox's NOTIFY), and once on each
    /// (re)connection, so nothing committed while the listener was away waits for the poll.
    public func listenForOutboxCommits(ring: @escaping @Sendable () -> Void) async {
        await listen(on: Outbox.channel, connected: ring, notified: ring, lost: {})
    }

    /// Keeps `cache` trusted only while revocations can reach it: cleared on every revocation
    /// anywhere, distrusted while the listener is away.
    public func listenForKeyRevocations(_ cache: APIKeyCache) async {
        await listen(
            on: Store.apiKeysChannel, connected: { cache.setTrusted(true) }, notified: { cache.invalidate() },
            lost: { cache.setTrusted(false) })
        cache.setTrusted(false)
    }

    /// LISTENs on one pooled connection until cancelled, reconnecting with backoff.
    func listen(
        on channel: String, connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable () -> Void,
        lost: @escaping @Sendable () -> Void
    ) async {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        connected()
                        for try await _ in notifications { notified() }
                    }
                }
                backoff = .milliseconds(100)
            } catch {
                lost()
                if Task.isCancelled { return }
                logger.warning("\(channel) listener lost its connection; reconnecting", metadata: ["error": .string(String(reflecting: error))])
            }
            lost()
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }
}
