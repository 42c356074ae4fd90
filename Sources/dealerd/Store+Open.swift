import DealerStore
import Logging

/// Opens the configured database for a command that runs outside the service group, runs `body`,
/// and closes it again.
func withStore<T: Sendable>(config: DealerdConfig, logger: Logger, _ body: @Sendable @escaping (Store) async throws -> T) async throws -> T {
    switch config.database.url {
    case .postgres(let url):
        let database = try PostgresStoreDatabase(url: url, maxConnections: 2, logger: logger)
        return try await database.withRunning { try await body(Store(database: database)) }
    case .sqliteFile, .sqliteMemory:
        let database = try await SQLiteStoreDatabase.open(config.database.url, logger: logger)
        do {
            let result = try await body(Store(database: database))
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}
