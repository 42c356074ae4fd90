import DealerStore
import Logging

/// Opens the configured database for a command that runs outside the service group.
func withStore<T: Sendable>(config: DealerdConfig, logger: Logger, _ body: @Sendable @escaping (Store) async throws -> T) async throws -> T {
    try await Store.withDatabase(config.database.url, secrets: config.secrets, timeZone: config.company.timeZone, logger: logger, body)
}
