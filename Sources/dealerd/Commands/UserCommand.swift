import ArgumentParser
import DealerCore
import DealerHTTP
import DealerStore
import Foundation
import Logging

/// `dealerd user …`: the console's people. The first admin comes from here; a new account gets a
/// one-time link to set its password, printed alone on stdout.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create console accounts, send sign-in links, list and disable accounts.",
        subcommands: [Create.self, Link.self, List.self, Disable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account and print its one-time sign-in link (the person sets a password there).")

        @OptionGroup var options: GlobalOptions
        @Option(help: "The person's e-mail: their sign-in name.") var email: String
        @Option(help: "The person's name as the console shows it (default: the e-mail).") var name: String?
        @Option(help: "admin, manager, accountant, viewer or dealer.") var role: Role
        @Option(help: "For --role manager: the manager record (e-mail or id) the account speaks for.") var manager: String?
        @Option(help: "For --role dealer: the dealer (code or id) the account belongs to; it sees nothing else.") var dealer: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let draft = ConsoleUserDraft(
                email: email, name: name ?? email, role: role, manager: manager, dealer: dealer.map(DealerReference.init))
            let code = try await runAdministrative(config: config) { store in
                let accounts = ConsoleStore(store)
                let user = try await accounts.createUser(draft, by: .cli)
                return try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: config.console.linkLifetime, by: .cli)
            }
            print(UserCommand.link(code, config: config))
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new one-time link for an account (a forgotten password); earlier links stop working.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's e-mail or id.") var account: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let code = try await runAdministrative(config: config) { [account] store in
                let accounts = ConsoleStore(store)
                let user = try await accounts.user(account)
                return try await accounts.makeLink(userID: user.id, purpose: .reset, lifetime: config.console.linkLifetime, by: .cli)
            }
            print(UserCommand.link(code, config: config))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let users = try await runAdministrative(config: config) { store in try await ConsoleStore(store).users() }
            print(["EMAIL", "NAME", "ROLE", "BOUND TO", "PASSWORD", "STATUS"].joined(separator: "\t"))
            for user in users {
                print(
                    [
                        user.email, user.name, user.role.rawValue,
                        user.dealerID.map { "dealer " + $0.lowercased } ?? user.managerID.map { "manager " + $0.lowercased } ?? "-",
                        user.hasPassword ? "set" : "not yet", user.active ? "active" : "disabled",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its sessions end at once.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's e-mail or id.") var account: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            try await runAdministrative(config: config) { [account] store in
                let accounts = ConsoleStore(store)
                try await accounts.setActive(try await accounts.user(account).id, false, by: .cli)
            }
        }
    }

    /// The link as the person opens it: under `console.url` when set, else this host's listen address.
    static func link(_ code: String, config: DealerdConfig) -> String {
        let base = config.consoleURL ?? "http://\(config.http.host == "0.0.0.0" ? "127.0.0.1" : config.http.host):\(config.http.port)"
        return base + "/welcome/" + code
    }
}
