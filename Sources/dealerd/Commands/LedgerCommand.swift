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
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("dealerd: cannot read \(file)")
                throw ExitCode(66)
            }
            let parsed: LedgerCSV
            do {
                parsed = try LedgerCSV(bytes: Array(data), encoding: forced)
            } catch {
                printError("dealerd: \(file): \(error.message)")
                throw ExitCode(65)
            }
            let today = CivilDate(Date(), in: config.company.timeZone)
            let rows = parsed.rows
            let dryRun = dryRun
            let showProgress = format == .text && rows.count > config.maxBatchEntries
            var report = try await runAdministrative(config: config) { store in
                try await store.importLedgerEntries(
                    rows, dryRun: dryRun, chunkSize: config.maxBatchEntries, defaults: config.credit, today: today,
                    by: Caller(name: "cli:ledger-import", role: .admin)
                ) { done, total in
                    if showProgress { printError("checked \(done) of \(total) lines…") }
                }
            }
            report.rejected = (parsed.rejections + report.rejected).sorted { ($0.line, $0.field) < ($1.line, $1.field) }
            switch format {
            case .json: try printJSON(parsed, report)
            case .text: printSummary(parsed, report)
            }
            if !report.rejected.isEmpty { throw ExitCode(2) }
        }

        func printSummary(_ parsed: LedgerCSV, _ report: LedgerImportReport) {
            let rejectedLines = Set(report.rejected.map(\.line)).count
            print("\(file): \(parsed.lineCount) lines, \(parsed.encoding.rawValue), separator \(parsed.separator)")
            if !parsed.ignoredColumns.isEmpty { print("ignored columns: \(parsed.ignoredColumns.joined(separator: ", "))") }
            print(
                report.dryRun
                    ? "dry run, nothing written: \(report.created) would be stored, \(report.unchanged) unchanged, \(rejectedLines) rejected"
                    : "stored \(report.created), unchanged \(report.unchanged), rejected \(rejectedLines)")
            for rejection in report.rejected {
                print("  line \(rejection.line): \(rejection.field): \(rejection.message)")
            }
        }

        func printJSON(_ parsed: LedgerCSV, _ report: LedgerImportReport) throws {
            let summary: JSONValue = .object([
                "dry_run": .bool(report.dryRun), "encoding": .string(parsed.encoding.rawValue),
                "separator": .string(String(parsed.separator)), "lines": .number(Decimal(parsed.lineCount)),
                "created": .number(Decimal(report.created)), "unchanged": .number(Decimal(report.unchanged)),
                "rejected_lines": .number(Decimal(Set(report.rejected.map(\.line)).count)),
                "rejected": .array(
                    report.rejected.map {
                        .object(["line": .number(Decimal($0.line)), "field": .string($0.field), "message": .string($0.message)])
                    }),
                "ignored_columns": .array(parsed.ignoredColumns.map(JSONValue.string)),
            ])
            print(String(decoding: try DealerJSON.encoder().encode(summary), as: UTF8.self))
        }
    }
}
