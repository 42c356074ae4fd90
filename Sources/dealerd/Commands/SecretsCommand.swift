import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Seal the stored webhook secrets with DEALERD_SECRETS_KEY (AES-256-GCM).",
        discussion: """
            To start sealing: put the output of `dealerd secrets generate-key` in DEALERD_SECRETS_KEY for every
            dealerd process, then run `dealerd secrets rotate`. To change the key: set the new key in
            DEALERD_SECRETS_KEY and the old one in DEALERD_SECRETS_KEY_PREVIOUS, run `dealerd secrets rotate`,
            then drop the old key.
            """,
        subcommands: [GenerateKey.self, Status.self, Rotate.self])

    struct GenerateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-key", abstract: "Print a new random key (32 bytes, base64) for DEALERD_SECRETS_KEY.")

        func run() async throws {
            print(SecretSealer.Key.generateBase64())
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How the stored secrets are sealed; exit 1 when any needs `rotate` or a missing key.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let report = try await runAdministrative(config: config) { store in try await store.storedSecretsReport() }
            print("key: \(config.secrets.current.map { "set (id \($0.id))" } ?? "not set")")
            print("previous keys: \(config.secrets.previous.isEmpty ? "none" : config.secrets.previous.map(\.id).joined(separator: ", "))")
            print("stored secrets: \(report.total)")
            print("  sealed under the key: \(report.sealedCurrent)")
            print("  sealed under a previous key: \(report.sealedPrevious)")
            print("  in plain text: \(report.plain)")
            print("  sealed under a key not given: \(report.unreadable)")
            let pending = report.sealedPrevious + report.unreadable + (config.secrets.current == nil ? 0 : report.plain)
            if pending > 0 || (config.secrets.current == nil && report.plain > 0) { throw ExitCode(1) }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every stored secret under DEALERD_SECRETS_KEY, in one transaction (plain ones included).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            guard let key = config.secrets.current else {
                printError("dealerd: DEALERD_SECRETS_KEY is not set; make one with `dealerd secrets generate-key`")
                throw ExitCode(78)
            }
            let count = try await runAdministrative(config: config) { store in try await store.resealSecrets(by: .cli) }
            print("re-sealed \(count) webhook endpoint\(count == 1 ? "" : "s") under key \(key.id)")
        }
    }
}
