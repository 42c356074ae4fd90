import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it alone on stdout; it is shown only this once.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "A name that says who uses the key (unique), e.g. erp-1c or anna.ivanova.")
        var name: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var role: Role
        @Option(help: "For --role dealer: the dealer (code or id) the key belongs to; it sees nothing else.")
        var dealer: String?
        @Option(help: "For --role manager: the manager (email or id) the key speaks for; the head of sales' key may override accreditations.")
        var manager: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let dealer = dealer.map(DealerReference.init)
            let issued = try await runAdministrative(config: config) { store in
                try await store.createAPIKey(name: name, role: role, dealer: dealer, manager: manager, by: .cli)
            }
            print(issued.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let keys = try await runAdministrative(config: config) { store in try await store.apiKeys() }
            print(["NAME", "ROLE", "BOUND TO", "PREFIX", "CREATED", "LAST USED", "STATUS"].joined(separator: "\t"))
            for key in keys {
                print(
                    [
                        key.name, key.role.rawValue,
                        key.dealerID.map { "dealer " + $0.lowercased } ?? key.managerID.map { "manager " + $0.lowercased } ?? "-", key.prefix + "…",
                        Timestamp.format(key.createdAt),
                        key.lastUsedAt.map(Timestamp.format) ?? "never",
                        key.revokedAt.map { "revoked \(Timestamp.format($0))" } ?? "active",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name or id; it stops working at once.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The key's name or id.")
        var key: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let revoked = try await runAdministrative(config: config) { store in
                try await store.revokeAPIKey(key, by: .cli)
            }
            print("revoked \(revoked.name)")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Runs an administrative command against a migrated store, turning domain errors into a message and
/// a non-zero exit instead of a stack trace.
func runAdministrative<T: Sendable>(config: DealerdConfig, _ body: @Sendable @escaping (Store) async throws -> T) async throws -> T {
    let logger = Logger(label: "dealerd.cli")
    do {
        return try await withStore(config: config, logger: logger) { store in
            try await store.migrate(logger: logger)
            try await store.syncSegmentCreditPolicies(
                config.segmentPolicies, defaults: config.credit, today: CivilDate(Date(), in: config.company.timeZone))
            return try await body(store)
        }
    } catch let error as DealerCore.ValidationError {
        printError("dealerd: " + error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        throw ExitCode(65)
    } catch let error as DomainError {
        switch error {
        case .notFound(let entity, let id): printError("dealerd: no \(entity) \(id)")
        case .conflict(_, let message): printError("dealerd: \(message)")
        case .invalidTransition(let from, let to, _): printError("dealerd: cannot move from \(from) to \(to)")
        case .accreditationRequired(let from):
            printError("dealerd: a \(from) dealer is accredited only by a decision: dealerd accredit dealer CODE --profile NAME")
        case .forbidden(let message): printError("dealerd: \(message)")
        }
        throw ExitCode(65)
    }
}
