import DealerCore
import Foundation
import Logging

extension Store {
    /// Opens the database at `url` for work outside a service group (CLI commands, tests), runs
    /// `body` with a store on it, and closes it again: PostgreSQL's pool runs beside the body,
    /// SQLite's connections are closed even when the body throws.
    public static func withDatabase<T: Sendable>(
        _ url: DatabaseURL, maxConnections: Int = 2, clock: any NowProvider = SystemNow(), secrets: SecretSealer = .none,
        timeZone: TimeZone = CivilDate.defaultCompanyTimeZone, logger: Logger,
        _ body: @Sendable @escaping (Store) async throws -> T
    ) async throws -> T {
        switch url {
        case .postgres(let text):
            let database = try PostgresStoreDatabase(url: text, maxConnections: maxConnections, logger: logger)
            return try await database.withRunning { try await body(Store(database: database, clock: clock, secrets: secrets, timeZone: timeZone)) }
        case .sqliteFile, .sqliteMemory:
            let database = try await SQLiteStoreDatabase.open(url, logger: logger)
            do {
                let result = try await body(Store(database: database, clock: clock, secrets: secrets, timeZone: timeZone))
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        }
    }
}
