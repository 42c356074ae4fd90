import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

extension AccreditCommand {
    /// The operator's way to accredit (as the head of sales may override): the same record, audit
    /// entries and events as `POST /v1/dealers/{id}/accreditations`, with `cli` as the actor.
    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dealer",
            abstract: "Accredit a dealer on file under a profile and keep the decision (as POST /v1/dealers/{id}/accreditations).",
            discussion: "Exit status: 0 accredited, 1 rejected, 2 needs review.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The dealer, by code or id.") var dealer: String
        @Option(help: "The profile's name (see Config/profiles).") var profile: String
        @Option(help: "Decide instead of the profile: accredited or rejected (needs --reason).") var override: String?
        @Option(help: "Why the profile's verdict is overridden; kept in the record and the audit log.") var reason: String?
        @Option(help: "table or json.") var format = Evaluate.Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let chosen = try AccreditCommand.profile(profile, in: config)
            var decision: AccreditationOverride?
            if override != nil || reason != nil {
                do {
                    decision = try AccreditationOverride.validate(decision: override, reason: reason)
                } catch {
                    printError("dealerd: " + error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
                    throw ExitCode(64)
                }
            }
            let record = try await runAdministrative(config: config) { [decision] store in
                let id = try await store.dealerID(for: DealerReference(dealer))
                return try await store.accredit(
                    dealerID: id, profile: chosen, override: decision, by: .cli, companyTimeZone: config.company.timeZone)
            }
            switch format {
            case .json: print(String(decoding: try DealerJSON.encoder().encode(record), as: UTF8.self))
            case .table: print(Self.summary(record, dealer: dealer))
            }
            try AccreditCommand.exit(with: record.decision)
        }

        static func summary(_ record: AccreditationRecord, dealer: String) -> String {
            let decision = record.decision.rawValue.replacingOccurrences(of: "_", with: " ")
            var first = "\(dealer): \(decision) under \(record.profile) \(record.profileVersion)"
            if let override = record.override {
                first += " (overridden: \(override.reason); the profile said \(record.evaluatedDecision.rawValue))"
            }
            var second =
                "score \(record.score), pass mark \(record.passMark); status \(record.statusBefore.rawValue) → \(record.statusAfter.rawValue)"
            if let validUntil = record.validUntil { second += "; valid until \(validUntil.iso)" }
            return [first, second, "record \(record.id.lowercased)"].joined(separator: "\n")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A dealer's accreditation decisions, newest first.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The dealer, by code or id.") var dealer: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let records = try await runAdministrative(config: config) { store in
                let id = try await store.dealerID(for: DealerReference(dealer))
                var records: [AccreditationRecord] = []
                var cursor: String?
                repeat {
                    let page = try await store.accreditations(dealerID: id, page: PageRequest(cursor: cursor, limit: PageSize.maximum))
                    records += page.items
                    cursor = page.nextCursor
                } while cursor != nil
                return records
            }
            print(["DECIDED", "PROFILE", "DECISION", "SCORE", "VALID UNTIL", "BY", "OVERRIDE"].joined(separator: "\t"))
            for record in records {
                print(
                    [
                        Timestamp.format(record.decidedAt), "\(record.profile) \(record.profileVersion)", record.decision.rawValue,
                        "\(record.score)/\(record.passMark)", record.validUntil?.iso ?? "-", record.decidedBy, record.override?.reason ?? "-",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dealers accredited (or suspended) without an accreditation decision on record, for the head of sales to review.",
            discussion: """
                A dealer becomes accredited only through a decision (dealerd accredit dealer, or POST \
                /v1/dealers/{id}/accreditations). Dealers loaded accredited, or moved there by the status \
                route before that rule, are listed here; accredit each against a profile to give it a record.
                """)

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let dealers = try await runAdministrative(config: config) { store in try await store.undecidedAccreditations() }
            guard !dealers.isEmpty else {
                print("every accredited dealer has an accreditation decision on record")
                return
            }
            print(["CODE", "NAME", "STATUS", "SINCE", "REASON"].joined(separator: "\t"))
            for dealer in dealers {
                print(
                    [dealer.code, dealer.name, dealer.status.rawValue, Timestamp.format(dealer.statusChangedAt), dealer.statusReason ?? "-"]
                        .joined(separator: "\t"))
            }
            printError(
                "dealerd: \(dealers.count) dealer(s) accredited without a decision; accredit each: dealerd accredit dealer CODE --profile NAME")
        }
    }
}
