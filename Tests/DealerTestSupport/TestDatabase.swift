import DealerCore
import DealerStore
import Foundation
import Logging
import SQLKit

/// The database engines every storage test runs on.
public enum Backend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// PostgreSQL's admin URL, set by `scripts/test`.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DEALERD_TEST_POSTGRES_URL"]
    }

    /// SQLite always; PostgreSQL when `scripts/test` (or the developer) provides one.
    public static var available: [Backend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL database in the
/// throwaway cluster. Nothing is shared between tests.
public struct TestDatabase: Sendable {
    public let backend: Backend
    /// The URL dealerd itself would be configured with.
    public let url: DatabaseURL
    private let folder: URL?

    public static func create(_ backend: Backend) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-test-\(UUID().lowercased)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return TestDatabase(backend: backend, url: .sqliteFile(path: folder.appendingPathComponent("dealerd.sqlite").path), folder: folder)
        case .postgres:
            guard let admin = Backend.postgresURL, var components = URLComponents(string: admin) else {
                throw TestSetupError(description: "DEALERD_TEST_POSTGRES_URL is not set; run the tests with scripts/test")
            }
            let name = "dealerd_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let adminDatabase = try PostgresStoreDatabase(url: admin, maxConnections: 1, logger: testLogger)
            try await adminDatabase.withRunning {
                try await adminDatabase.read { sql in
                    try await sql.raw("CREATE DATABASE \(ident: String(name))").run()
                }
            }
            components.path = "/" + name
            return TestDatabase(backend: backend, url: .postgres(url: components.string!), folder: nil)
        }
    }

    /// Runs `body` with a store on this database (migrated first unless `migrated` is false).
    @discardableResult
    public func withStore<T: Sendable>(
        clock: any NowProvider = SystemNow(), migrated: Bool = true, secrets: SecretSealer = .none,
        _ body: @Sendable @escaping (Store) async throws -> T
    ) async throws -> T {
        try await Store.withDatabase(url, maxConnections: 10, clock: clock, secrets: secrets, logger: testLogger) { store in
            if migrated { try await store.migrate(logger: testLogger) }
            return try await body(store)
        }
    }

    public func remove() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }
}

/// Runs `body` with a store on a fresh, migrated database of the given engine.
@discardableResult
public func withTestStore<T: Sendable>(
    _ backend: Backend, clock: any NowProvider = SystemNow(), migrated: Bool = true,
    _ body: @Sendable @escaping (Store) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.create(backend)
    defer { database.remove() }
    return try await database.withStore(clock: clock, migrated: migrated, body)
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

public let testLogger: Logger = {
    var logger = Logger(label: "dealerd.test")
    logger.logLevel = .warning
    return logger
}()
