import DealerStore
import ServiceLifecycle

/// Keeps the API key cache in step with revocations made by any process, the CLI's included
/// (PostgreSQL only: on SQLite nothing is cached and every request asks the database).
struct APIKeyRevocationListener: Service {
    let postgres: PostgresStoreDatabase
    let cache: APIKeyCache

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await postgres.listenForKeyRevocations(cache)
        }
    }
}
