import ArgumentParser
import DealerStore
import Foundation
import Logging

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and print the effective settings, secrets redacted.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            print("# effective configuration (file: \(config.source ?? "none, defaults and environment only"))")
            print(
                """
                http:
                  host: \(config.http.host)
                  port: \(config.http.port)
                  max_body_bytes: \(config.http.maxBodyBytes)
                database:
                  url: \(config.database.url.redacted)
                  max_connections: \(config.database.maxConnections)
                company:
                  name: \(config.company.name)
                  time_zone: \(config.company.timeZone.identifier)
                log:
                  level: \(config.logLevel.rawValue)
                """)
        }
    }
}
