import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct AccreditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accredit", abstract: "Accreditation against the ideal-dealer profiles.",
        subcommands: [Evaluate.self, Decide.self, History.self, Audit.self])

    /// The named profile, or a usage error listing the profiles there are.
    static func profile(_ name: String, in config: DealerdConfig) throws -> AccreditationProfile {
        guard let profile = config.profiles.first(where: { $0.name == name }) else {
            printError("dealerd: no profile \(name); profiles: \(config.profiles.map(\.name).joined(separator: ", "))")
            throw ExitCode(64)
        }
        return profile
    }

    /// The decision as the exit status, for scripts: 0 accredited, 1 rejected, 2 needs review.
    static func exit(with decision: AccreditationEvaluation.Decision) throws {
        switch decision {
        case .accredited: return
        case .rejected: throw ExitCode(1)
        case .needsReview: throw ExitCode(2)
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a prospect (a facts file) or a dealer on file against a profile; nothing is stored.",
            discussion: """
                The facts file is JSON: {"attributes": {"showroom_area_m2": 180, "own_warehouse": true, "legal_form": "ООО"},
                "region": "Москва", "segment": "cars", "documents": [{"kind": "bank_reference", "expires": "2027-06-30"}],
                "accredited_in_region_and_segment": 1, "max_overdue_days": 0}; anything absent is reported as no data.
                Exit status: 0 accredited, 1 rejected, 2 needs review.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table
            case json
        }

        @OptionGroup var options: GlobalOptions
        @Option(help: "The profile's name (see Config/profiles).") var profile: String
        @Option(help: "A JSON file of the prospect's facts.") var facts: String?
        @Option(help: "A dealer on file, by code or id, instead of a facts file.") var dealer: String?
        @Option(help: "table (for reading out on the phone) or json.") var format = Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let chosen = try AccreditCommand.profile(profile, in: config)
            let today = CivilDate(Date(), in: config.company.timeZone)
            let known: AccreditationFacts
            switch (facts, dealer) {
            case (let path?, nil):
                guard let data = FileManager.default.contents(atPath: path) else {
                    printError("dealerd: cannot read \(path)")
                    throw ExitCode(66)
                }
                do {
                    known = try AccreditationFacts(parsing: try DealerJSON.decoder().decode(JSONValue.self, from: data), prefix: "")
                } catch let error as DealerCore.ValidationError {
                    printError("dealerd: \(path): " + error.issues.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
                    throw ExitCode(65)
                } catch {
                    printError("dealerd: \(path) is not JSON: \(error)")
                    throw ExitCode(65)
                }
            case (nil, let reference?):
                known = try await runAdministrative(config: config) { store in
                    let id = try await store.dealerID(for: DealerReference(reference))
                    return try await store.accreditationFacts(dealerID: id, today: today, paymentHistoryMonths: chosen.paymentHistoryMonths)
                }
            default:
                printError("dealerd: give --facts FILE for a prospect or --dealer CODE for a dealer on file")
                throw ExitCode(64)
            }
            let evaluation = chosen.evaluate(known, today: today)
            switch format {
            case .json: print(String(decoding: try DealerJSON.encoder().encode(evaluation), as: UTF8.self))
            case .table: print(Self.table(evaluation, profile: chosen))
            }
            try AccreditCommand.exit(with: evaluation.decision)
        }

        static func table(_ evaluation: AccreditationEvaluation, profile: AccreditationProfile) -> String {
            let header = ["CRITERION", "REQUIRED", "SEEN", "RESULT", "POINTS"]
            let rows = evaluation.results.map { result in
                [
                    result.id + (result.knockOut ? " (knock-out)" : ""), result.required, result.seen ?? "—",
                    result.outcome.rawValue.replacingOccurrences(of: "_", with: " "), "\(result.points)/\(result.weight)",
                ]
            }
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { index, cell in
                    index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
                }.joined(separator: "  ")
            }
            return
                (["profile \(profile.name) \(profile.version) — \(profile.title)", line(header)] + rows.map(line) + [
                    "score \(evaluation.score) of \(evaluation.maxScore), pass mark \(evaluation.passMark): "
                        + "\(evaluation.decision.rawValue.replacingOccurrences(of: "_", with: " ")) (\(evaluation.explanation))"
                ]).joined(separator: "\n")
        }
    }
}
