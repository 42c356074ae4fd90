import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The receivables ledger from the ERP.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import documents from a CSV export of 1C or Excel.",
            discussion: """
                UTF-8 (with or without BOM) or Windows-1251, ';' or ',' separated, a header line naming the columns:
                \(LedgerCSV.columnNames.joined(separator: ", "))
                (or their Russian names: Код дилера, Ид документа, Вид, Номер, Дата, Сумма, Валюта, Срок оплаты, …).
                Amounts as "125 000,50" or 125000.50, dates as 25.11.2026 or 2026-11-25.
                Valid lines are stored in one transaction; invalid ones are listed by line and left out,
                so the file can be fixed and imported again (stored lines come back unchanged).
                Exit status: 0 all lines accepted, 2 some lines rejected, 65 the file cannot be read.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
        }

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check every line against the store and report, writing nothing.") var dryRun = false
        @Option(help: "auto, utf-8 or windows-1251.") var encoding = "auto"
        @Option(help: "text (a summary), or json (the API's answer).") var format = Format.text

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let forced: ImportEncoding?
            if encoding.lowercased() == "auto" {
                forced = nil
            } else if let chosen = ImportEncoding(rawValue: encoding.lowercased()) {
                forced = chosen
            } else {
                printError("dealerd: --encoding: one of auto, utf-8, windows-1251")
                throw ExitCode(64)
            }
            let parsed = try parseImportFile(file) { try LedgerCSV(bytes: $0, encoding: forced) }
            let today = CivilDate(Date(), in: config.company.timeZone)
            let dryRun = dryRun
            let showProgress = format == .text && parsed.rows.count > config.maxBatchEntries
            let report = try await runAdministrative(config: config) { store in
                try await store.importLedgerEntries(
                    parsed, dryRun: dryRun, chunkSize: config.maxBatchEntries, defaults: config.credit, today: today,
                    by: Caller(name: "cli:ledger-import", role: .admin)
                ) { done, total in
                    if showProgress { printError("checked \(done) of \(total) lines…") }
                }
            }
            switch format {
            case .json: print(String(decoding: try DealerJSON.encoder().encode(report), as: UTF8.self))
            case .text: printSummary(report)
            }
            if !report.rejected.isEmpty { throw ExitCode(2) }
        }

        func printSummary(_ report: LedgerImportReport) {
            print("\(file): \(report.lines) lines, \(report.encoding.rawValue), separator \(report.separator)")
            if !report.ignoredColumns.isEmpty { print("ignored columns: \(report.ignoredColumns.joined(separator: ", "))") }
            print(
                report.dryRun
                    ? "dry run, nothing written: \(report.created) would be stored, \(report.unchanged) unchanged, \(report.rejectedLines) rejected"
                    : "stored \(report.created), unchanged \(report.unchanged), rejected \(report.rejectedLines)")
            for rejection in report.rejected {
                print("  line \(rejection.line): \(rejection.field): \(rejection.message)")
            }
        }
    }
}
