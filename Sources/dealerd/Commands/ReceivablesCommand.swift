import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct ReceivablesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receivables", abstract: "Receivables across dealers.", subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every dealer's balance, limit, utilization and overdue, largest first, with totals; a table or CSV for Excel.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table
            case csv
        }

        @OptionGroup var options: GlobalOptions
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated, decimal comma: opens right in Excel).") var format = Format.table
        @Option(help: "Only ok, warning, breached or overdue dealers.") var state: String?
        @Option(help: "balance, utilization, overdue or days_overdue.") var sort = "balance"

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            var query = ReceivablesQuery(limit: 500)
            guard let order = ReceivablesQuery.Sort(rawValue: sort) else {
                printError("dealerd: --sort: one of \(ReceivablesQuery.Sort.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(64)
            }
            query.sort = order
            if let state {
                guard let filter = ReceivablesQuery.StateFilter(rawValue: state) else {
                    printError("dealerd: --state: one of \(ReceivablesQuery.StateFilter.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(64)
                }
                query.state = filter
            }
            let (lines, totals) = try await runAdministrative(config: config) { [query] store in
                var all: [ReceivablesLine] = []
                var page = query
                while true {
                    let result = try await store.receivablesList(page)
                    all += result.lines
                    guard result.more else { return (all, result.totals) }
                    page.offset += page.limit
                }
            }
            let header = ["CODE", "DEALER", "REGION", "CURRENCY", "BALANCE", "LIMIT", "UTILIZATION %", "OVERDUE", "DAYS OVERDUE", "STATE"]
            func amount(_ minor: Int64?, _ currency: Currency) -> String {
                guard let minor else { return "" }
                let text = Money(minorUnits: minor, currency: currency).decimalString
                return format == .csv ? text.replacingOccurrences(of: ".", with: ",") : text
            }
            let rows = lines.map { line in
                [
                    line.code, line.name, line.region ?? "", line.currency.code, amount(line.balance, line.currency),
                    amount(line.limit, line.currency), line.utilizationPercent.map(String.init) ?? "", amount(line.overdue, line.currency),
                    String(line.daysOverdue), line.overdueState == .overdue ? "\(line.creditState.rawValue), overdue" : line.creditState.rawValue,
                ]
            }
            let totalRows = totals.map { total in
                [
                    "TOTAL", "\(total.dealers) dealers", "", total.currency.code, amount(total.balance, total.currency), "", "",
                    amount(total.overdue, total.currency), "", "",
                ]
            }
            switch format {
            case .table:
                for row in [header] + rows + totalRows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write([header] + rows + totalRows)
            }
        }
    }
}
