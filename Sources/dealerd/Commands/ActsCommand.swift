import ArgumentParser
import DealerCore
import DealerPDF
import DealerStore
import Foundation
import Logging

struct ActsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acts", abstract: "Reconciliation acts (акты сверки).", subcommands: [Generate.self, Show.self, List.self])

    static func period(_ text: String) throws -> PlanPeriod {
        guard let period = PlanPeriod(parsing: text) else {
            printError("dealerd: --period: a month (2026-10), a quarter (2026-Q4) or a year (2026)")
            throw ExitCode(64)
        }
        return period
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the acts of a closed period for every active dealer (or one); a re-run makes only what is missing or changed.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "2026-10, 2026-Q4 or 2026.") var period: String
        @Option(help: "Only this dealer (code or id).") var dealer: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let chosen = try ActsCommand.period(period)
            guard chosen.lastDay < CivilDate(Date(), in: config.company.timeZone) else {
                printError("dealerd: \(chosen) has not ended yet: an act covers a closed period")
                throw ExitCode(64)
            }
            let reference = dealer.map(DealerReference.init)
            let result = try await runAdministrative(config: config) { store in
                let id = try await reference.asyncMap { try await store.dealerID(for: $0) }
                return try await store.generateActs(
                    from: chosen.firstDay, to: chosen.lastDay, dealer: id, reason: .manual, settings: config.actSettings
                ) { done in
                    printError("acts: \(done) dealers…")
                }
            }
            print(
                "\(chosen): \(result.created) acts made (\(result.superseded) new versions), \(result.unchanged) unchanged, "
                    + "\(result.skipped) dealers without movement or balance, \(result.dealers) dealers")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One act as JSON, CSV (for Excel), printable HTML, PDF or FNS XML.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, csv, html, pdf, xml
        }

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The act's id.") var id: String
        @Option(help: "json, csv, html, pdf (A4, needs libharu: apt-get install libhpdf-2.3.0) or xml (the FNS sender's title, Windows-1251).")
        var format = Format.json

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            guard let actID = UUID(uuidString: id) else {
                printError("dealerd: \(id) is not an act id")
                throw ExitCode(64)
            }
            if format == .xml {
                let file = try await runAdministrative(config: config) { store in
                    try await store.actXML(id: actID, settings: config.actSettings, timeZone: config.company.timeZone)
                }
                FileHandle.standardOutput.write(Data(file.bytes))
                return
            }
            let act = try await runAdministrative(config: config) { store in try await store.act(id: actID) }
            switch format {
            case .json: print(String(decoding: try DealerJSON.encoder().encode(act), as: UTF8.self))
            case .csv: FileHandle.standardOutput.write(Data(act.csv.utf8))
            case .html: FileHandle.standardOutput.write(Data(act.html.utf8))
            case .pdf:
                do {
                    FileHandle.standardOutput.write(Data(try ActPDF.render(act.sheet, fonts: config.pdfFonts)))
                } catch let missing as PDFUnavailable {
                    printError("dealerd: the act cannot be made as a PDF here: \(missing.reason)")
                    throw ExitCode(69)
                }
            case .xml: break
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acts of a period: number, dealer, status, closing balance.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "2026-10, 2026-Q4 or 2026.") var period: String?
        @Option(help: "generated, sent, confirmed, disputed or outdated.") var status: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            var query = ActQuery()
            if let period {
                let chosen = try ActsCommand.period(period)
                query.from = chosen.firstDay
                query.to = chosen.lastDay
            }
            if let status {
                guard let parsed = ActStatus(rawValue: status) else {
                    printError("dealerd: --status: one of \(ActStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(64)
                }
                query.status = parsed
            }
            print(["NUMBER", "ID", "PERIOD", "DEALER", "VERSION", "STATUS", "CLOSING"].joined(separator: "\t"))
            // Page by page, so a month of ten thousand acts never sits in memory at once.
            try await runAdministrative(config: config) { [query] store in
                var page = query
                repeat {
                    let acts = try await store.acts(page)
                    for act in acts.items {
                        print(
                            [
                                act.number, act.id.lowercased, "\(act.statement.from.iso)…\(act.statement.to.iso)", act.statement.dealer.name,
                                String(act.version), act.status.rawValue,
                                Money(minorUnits: act.statement.closingMinor, currency: Currency(code: act.statement.currency) ?? .rub).decimalString,
                            ].joined(separator: "\t"))
                    }
                    page.cursor = acts.nextCursor
                } while page.cursor != nil
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
