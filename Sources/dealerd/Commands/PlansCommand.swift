import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plans", abstract: "Sales plans per dealer and month.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the plans of every dealer from a CSV file (as POST /v1/plans/import).",
            discussion: """
                Either a line per dealer and month (Код дилера;Период;Сумма[;Количество], periods as 2026-10 or 10.2026),
                or the yearly sheet: Код дилера and a column per month headed 2026-01 … 2026-12 (empty cells: no plan).
                UTF-8 or Windows-1251, ';' or ','. All or nothing: any bad cell or unknown dealer stores none, each listed.
                Exit status: 0 stored, 2 rejected (nothing stored), 65 the file cannot be read.
                """)

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check every line, writing nothing.") var dryRun = false

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let parsed = try parseImportFile(file) { try PlanCSV(bytes: $0) }
            let dryRun = dryRun
            let report = try await runAdministrative(config: config) { store in
                try await store.importPlans(
                    parsed, currency: config.credit.currency, dryRun: dryRun, by: Caller(name: "cli:plans-import", role: .admin))
            }
            if !report.rejected.isEmpty {
                print("\(file): rejected, nothing stored")
                for rejection in report.rejected { print("  line \(rejection.line): \(rejection.field): \(rejection.message)") }
                throw ExitCode(2)
            }
            print(
                report.dryRun
                    ? "\(file): dry run, nothing written: \(parsed.rows.count) plans for \(report.dealers) dealers would be stored"
                    : "\(file): stored \(report.stored) plans for \(report.dealers) dealers")
        }
    }
}
