import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct RhythmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rhythm", abstract: "Shipment rhythm of the accredited dealers.", subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every accredited dealer's rhythm, most days late first; a table or CSV for Excel.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table
            case csv
        }

        @OptionGroup var options: GlobalOptions
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated: opens right in Excel).") var format = Format.table
        @Option(help: "Only dealers in this status: learning, on_rhythm, late, broken.") var status: String?
        @Option(help: "Only this region.") var region: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            var filter = RhythmFilter(region: region)
            if let status {
                guard let parsed = RhythmAssessment.Status(rawValue: status) else {
                    printError("dealerd: --status: one of \(RhythmAssessment.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(64)
                }
                filter.status = parsed
            }
            let today = CivilDate(Date(), in: config.company.timeZone)
            let list = try await runAdministrative(config: config) { [filter] store in
                try await store.rhythmList(today: today, settings: config.rhythm, filter: filter)
            }
            let header = [
                "CODE", "DEALER", "REGION", "STATUS", "EXPECTED DAYS", "SOURCE", "REGULARITY", "LAST SHIPMENT", "NEXT EXPECTED", "DAYS LATE",
            ]
            let rows = list.map { dealer in
                let assessment = dealer.assessment
                let regularity = assessment.regularity.map { "\($0)" } ?? ""
                return [
                    dealer.code, dealer.name, dealer.region ?? "", assessment.status.rawValue, assessment.expectedInterval.map(String.init) ?? "",
                    assessment.source?.rawValue ?? "", format == .csv ? regularity.replacingOccurrences(of: ".", with: ",") : regularity,
                    assessment.lastShipment?.iso ?? "", assessment.nextExpected?.iso ?? "", String(assessment.daysLate),
                ]
            }
            switch format {
            case .table: for row in [header] + rows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write([header] + rows)
            }
        }
    }
}
