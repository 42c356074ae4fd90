import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct DealsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deals", abstract: "The sales funnel of the deals the CRM pushes (POST /v1/deals).", subcommands: [Funnel.self])

    struct Funnel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The funnel for a period: deals in work per stage, how many got to each and went on, won, lost, win rate, average deal.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "A month (2026-11), a quarter (2026-Q4) or a year (2026); this month by default.") var period: String?
        @Option(help: "One manager's deals, by e-mail; the department's by default.") var manager: String?
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated, decimal comma: opens right in Excel).")
        var format = ReceivablesCommand.Report.Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            var chosen = PlanPeriod.month(of: CivilDate(Date(), in: config.company.timeZone))
            if let period {
                guard let parsed = PlanPeriod(parsing: period) else {
                    printError("dealerd: --period: a month (2026-11), a quarter (2026-Q4) or a year (2026)")
                    throw ExitCode(64)
                }
                chosen = parsed
            }
            let settings = config.deals
            let (funnel, whose) = try await runAdministrative(config: config) { [chosen, manager] store in
                var managerID: UUID?
                var whose = "отдел"
                if let manager {
                    guard let found = try await store.allManagers().first(where: { $0.email.lowercased() == manager.lowercased() }) else {
                        throw DomainError.notFound(entity: "manager", id: manager)
                    }
                    managerID = found.id
                    whose = found.name
                }
                return (try await store.funnel(period: chosen, managerID: managerID, settings: settings), whose)
            }
            let rows = funnel.tableRows(whose: whose, currency: config.credit.currency, decimalComma: format == .csv)
            switch format {
            case .table: for row in rows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write(rows)
            }
        }
    }
}
