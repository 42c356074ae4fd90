import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct ReceivablesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receivables", abstract: "Receivables across dealers.", subcommands: [Report.self, Ageing.self, Discipline.self])

    struct Ageing: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receivables by days past due (current, 1–30, 31–60, 61–90, over 90) per dealer, with group subtotals and totals.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "The day (YYYY-MM-DD); documents dated up to it count. Today by default.") var asOf: String?
        @Option(help: "Subtotals by manager, region or segment.") var groupBy: String?
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated, decimal comma: opens right in Excel).") var format = Report.Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            var day = CivilDate(Date(), in: config.company.timeZone)
            if let asOf {
                guard let parsed = CivilDate(parsing: asOf) else {
                    printError("dealerd: --as-of: a date such as 2026-11-30")
                    throw ExitCode(64)
                }
                day = parsed
            }
            var grouping: AgeingReport.Grouping?
            if let groupBy {
                guard let parsed = AgeingReport.Grouping(rawValue: groupBy) else {
                    printError("dealerd: --group-by: one of \(AgeingReport.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(64)
                }
                grouping = parsed
            }
            let currency = config.credit.currency
            let report = try await runAdministrative(config: config) { [day, grouping] store in
                try await store.ageingReport(asOf: day, groupBy: grouping, currency: currency)
            }
            let rows = report.tableRows(decimalComma: format == .csv)
            switch format {
            case .table: for row in rows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write(rows)
            }
        }
    }

    struct Discipline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "One dealer's payment discipline by month: DSO, the share paid on time and the days late (payments settle the oldest debts first).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The dealer's code.") var code: String
        @Option(help: "The first day (YYYY-MM-DD); twelve months before --to by default.") var from: String?
        @Option(help: "The last day (YYYY-MM-DD); today by default.") var to: String?
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated, decimal comma: opens right in Excel).") var format = Report.Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            func day(_ text: String?, _ option: String) throws -> CivilDate? {
                guard let text else { return nil }
                guard let parsed = CivilDate(parsing: text) else {
                    printError("dealerd: --\(option): a date such as 2026-11-30")
                    throw ExitCode(64)
                }
                return parsed
            }
            let last = try day(to, "to") ?? CivilDate(Date(), in: config.company.timeZone)
            let first = try day(from, "from") ?? PaymentDiscipline.defaultSpan(today: last).from
            switch PaymentDiscipline.problem(from: first, to: last) {
            case .backwards:
                printError("dealerd: --to: on or after --from (\(first.iso))")
                throw ExitCode(64)
            case .tooLong:
                printError("dealerd: --from: at most \(PaymentDiscipline.maxMonths) months before --to")
                throw ExitCode(64)
            case nil: break
            }
            let defaults = config.credit
            let report = try await runAdministrative(config: config) { [code] store in
                try await store.paymentDiscipline(
                    dealerID: try await store.dealerID(for: .code(code)), from: first, to: last, defaults: defaults)
            }
            let rows = report.discipline.tableRows(
                dealer: "\(report.code) \(report.name)", currency: report.currency, decimalComma: format == .csv)
            switch format {
            case .table: for row in rows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write(rows)
            }
        }
    }

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
