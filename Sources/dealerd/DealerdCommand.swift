import ArgumentParser
import Foundation

/// `dealerd`: the dealer-network service and its administration commands.
@main
struct DealerdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealerd",
        abstract:
            "Dealer network service: dealers and managers, receivables and credit checks, audit trail, event feed, scheduled jobs, signed webhooks.",
        version: DealerdVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, APIKeyCommand.self, JobsCommand.self, ReceivablesCommand.self, LedgerCommand.self,
            AccreditCommand.self, RhythmCommand.self, PlansCommand.self, ActsCommand.self, WebhooksCommand.self, SecretsCommand.self,
            ConfigCommand.self, KPICommand.self, DealsCommand.self, UserCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

enum DealerdVersion {
    static let current = "0.2.0"
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $DEALERD_CONFIG, else Config/dealerd.yaml).")
    var config: String?

    /// The configuration, or a clear message and exit code 78 (EX_CONFIG) when it is broken.
    func loadConfig() async throws -> DealerdConfig {
        do {
            return try await ConfigLoader.load(path: config)
        } catch let error as ConfigError {
            printError("dealerd: \(error.description)")
            throw ExitCode(78)
        }
    }
}

func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
