import ArgumentParser
import DealerStore
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try await options.loadConfig()
        LogSetup.bootstrap(level: config.logLevel)
        let logger = Logger(label: "dealerd.migrate")
        let applied = try await withStore(config: config, logger: logger) { store in
            try await store.migrate(logger: logger)
        }
        let status = applied.isEmpty ? "schema already current" : "applied: \(applied.joined(separator: ", "))"
        print("\(config.database.url.redacted): \(status)")
    }
}
