import ArgumentParser
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the service: migrate the database, then serve the API until SIGTERM/SIGINT.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try await options.loadConfig()
        LogSetup.bootstrap(level: config.logLevel)
        let app = try await buildApplication(config: config)
        try await app.runService()
    }
}
