import ArgumentParser
import DealerCore
import DealerStore
import Foundation
import Logging

struct KPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi", abstract: "KPI scorecards and the bonus each manager has earned.",
        subcommands: [Report.self, Targets.self, Values.self, Close.self])

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a period that has ended: freeze every manager's scorecard and bonus (as the kpi-close job does).",
            discussion: "Closing again adds a revised version only for a scorecard whose result changed since; the earlier versions stay.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "A month (2026-11), a quarter (2026-Q4) or a year (2026).") var period: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            guard let chosen = PlanPeriod(parsing: period) else {
                printError("dealerd: --period: a month (2026-11), a quarter (2026-Q4) or a year (2026)")
                throw ExitCode(64)
            }
            let schemes = config.kpiSchemes
            let deadlines = config.actSettings.deadlines
            let result = try await runAdministrative(config: config) { store in
                try await store.closeScorecards(period: chosen, schemes: schemes, deadlines: deadlines, by: Caller(name: "cli", role: .admin))
            }
            print(
                "\(chosen): \(result.managers) scorecards: \(result.created) closed, \(result.revised) revised, \(result.unchanged) unchanged")
        }
    }

    struct Targets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Managers' own KPI targets.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import managers' targets from a CSV file: E-mail;Период;Показатель;Цель.",
                discussion: """
                    One line per manager, period (2026-11, 2026-Q4, 2026) and KPI (sales_volume, plan_fulfilment, …); a target in
                    the KPI's unit (roubles, percent, count), a decimal comma allowed. UTF-8 or Windows-1251, ';' or ','.
                    All or nothing: any bad cell or unknown manager stores none, each listed.
                    Exit status: 0 stored, 2 rejected (nothing stored), 65 the file cannot be read.
                    """)

            @OptionGroup var options: GlobalOptions
            @Argument(help: "The CSV file.") var file: String

            func run() async throws {
                let config = try await options.loadConfig()
                LogSetup.bootstrap(level: .warning)
                let parsed = try parseImportFile(file) { try KPITargetCSV(bytes: $0) }
                let lines = parsed.rows.map {
                    KPITargetLine(line: $0.line, managerEmail: $0.email, period: $0.period, kpi: $0.kpi, target: $0.target)
                }
                try await storeAllOrNothing(file: file, rejections: parsed.rejections, stored: "\(lines.count) targets stored", config: config) {
                    _ = try await $0.importKPITargets(lines, by: Caller(name: "cli:kpi-targets-import", role: .admin))
                }
            }
        }
    }

    struct Values: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The KPIs dealerd cannot see (calls, reach, CSI, …), pushed per manager and period.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import KPI values from a CSV file: E-mail;Период;Показатель;Значение;Источник.",
                discussion: """
                    One line per manager, period (2026-11, 2026-Q4, 2026) and external KPI (calls, reach_rate,
                    decision_maker_contacts, regular_client_contacts, meetings, csi, crm_quality): a count, or a percent from 0 to 100,
                    a decimal comma allowed. The Источник column may be left out; then --source names where the values came from.
                    A value replaces the one stored for the same manager, period and KPI. UTF-8 or Windows-1251, ';' or ','.
                    All or nothing: any bad cell or unknown manager stores none, each listed.
                    Exit status: 0 stored, 2 rejected (nothing stored), 65 the file cannot be read.
                    """)

            @OptionGroup var options: GlobalOptions
            @Argument(help: "The CSV file.") var file: String
            @Option(help: "Where the values come from, for lines without a source (the file's name by default).") var source: String?

            func run() async throws {
                let config = try await options.loadConfig()
                LogSetup.bootstrap(level: .warning)
                let fallback = source?.trimmedNonEmpty ?? URL(fileURLWithPath: file).lastPathComponent
                guard fallback.count <= ExternalKPIValue.maxSourceLength else {
                    printError("dealerd: --source: at most \(ExternalKPIValue.maxSourceLength) characters")
                    throw ExitCode(64)
                }
                let parsed = try parseImportFile(file) { try KPIValueCSV(bytes: $0, defaultSource: fallback) }
                let lines = parsed.rows.map {
                    KPIValueLine(line: $0.line, managerEmail: $0.email, period: $0.period, kpi: $0.kpi, value: $0.value)
                }
                try await storeAllOrNothing(file: file, rejections: parsed.rejections, stored: "\(lines.count) values stored", config: config) {
                    _ = try await $0.importKPIValues(lines, by: Caller(name: "cli:kpi-values-import", role: .admin))
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The department's ranking for a period (points, bonus, forecast), or one manager's scorecard KPI by KPI.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table
            case csv
        }

        @OptionGroup var options: GlobalOptions
        @Option(help: "A month (2026-11), a quarter (2026-Q4) or a year (2026); the running month by default.") var period: String?
        @Option(help: "One manager's scorecard, by e-mail.") var manager: String?
        @Option(help: "table, or csv (UTF-8 with BOM, ';' separated, decimal comma: opens right in Excel).") var format = Format.table

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let today = CivilDate(Date(), in: config.company.timeZone)
            let chosen: PlanPeriod
            if let period {
                guard let parsed = PlanPeriod(parsing: period) else {
                    printError("dealerd: --period: a month (2026-11), a quarter (2026-Q4) or a year (2026)")
                    throw ExitCode(64)
                }
                chosen = parsed
            } else {
                chosen = .month(of: today)
            }
            guard !config.kpiSchemes.isEmpty else {
                printError("dealerd: no KPI schemes in \(config.kpiSchemesDirectory) (kpi.schemes_dir)")
                throw ExitCode(78)
            }
            let deadlines = config.actSettings.deadlines
            let schemes = config.kpiSchemes
            let (managers, cards) = try await runAdministrative(config: config) { store in
                try await store.scorecards(period: chosen, schemes: schemes, deadlines: deadlines)
            }
            let rows: [[String]]
            if let manager {
                guard let card = cards.first(where: { $0.manager.email.lowercased() == manager.lowercased() }) else {
                    let known = managers.contains { $0.email.lowercased() == manager.lowercased() }
                    printError(
                        "dealerd: --manager: "
                            + (known ? "\(manager) has no scorecard (inactive, or no scheme for the role)" : "no manager \(manager)"))
                    throw ExitCode(known ? 65 : 64)
                }
                rows = scorecardRows(card)
            } else {
                rows = rankingRows(cards)
            }
            switch format {
            case .table: for row in rows { print(row.joined(separator: "\t")) }
            case .csv: ExcelCSV.write(rows)
            }
        }

        private func number(_ value: Decimal?) -> String {
            guard let value else { return "" }
            return format == .csv ? ScorecardText.decimal(value) : value.description
        }

        private func money(_ minor: Int64) -> String {
            let text = Money(minorUnits: minor, currency: .rub).decimalString
            return format == .csv ? text.replacingOccurrences(of: ".", with: ",") : text
        }

        private func rankingRows(_ cards: [ManagerScorecard]) -> [[String]] {
            let header = ["МЕСТО", "МЕНЕДЖЕР", "E-MAIL", "СХЕМА", "ДИЛЕРОВ", "БАЛЛЫ", "ПРЕМИЯ, ₽", "ПРОГНОЗ ПРЕМИИ, ₽"]
            let rows = cards.enumerated().map { index, card in
                [
                    String(index + 1), card.manager.name, card.manager.email,
                    "\(card.scorecard.scheme.title) \(card.scorecard.scheme.version)", String(card.dealers), number(card.scorecard.points),
                    money(card.scorecard.bonusMinor) + (card.scorecard.knockedOut ? " (стоп-показатель)" : ""),
                    card.forecast.map { money($0.bonusMinor) } ?? "",
                ]
            }
            let total = cards.reduce(Int64(0)) { $0.saturating(adding: $1.scorecard.bonusMinor) }
            return [header] + rows + [["ИТОГО", "\(cards.count)", "", "", "", "", money(total), ""]]
        }

        private func scorecardRows(_ card: ManagerScorecard) -> [[String]] {
            let header = ["ПОКАЗАТЕЛЬ", "ВЕС", "ЦЕЛЬ", "ФАКТ", "ВЫПОЛНЕНИЕ, %", "БАЛЛЫ", "ИСТОЧНИК"]
            var rows = card.scorecard.lines.map { line in
                [
                    line.kpi.title, number(line.weight), number(line.target), number(line.fact.value), number(line.achievementPercent),
                    number(line.points), line.kpi.isExternal ? line.fact.source ?? "нет данных" : "dealerd",
                ]
            }
            rows.append(["ИТОГО", "100", "", "", "", number(card.scorecard.points)])
            rows.append(["ПРЕМИЯ, ₽", "", "", "", "", money(card.scorecard.bonusMinor)])
            if let forecast = card.forecast { rows.append(["ПРОГНОЗ ПРЕМИИ, ₽", "", "", "", "", money(forecast.bonusMinor)]) }
            for lift in card.lifts.prefix(3) { rows.append(["Поднимет премию", ScorecardText.lift(lift), "", "", "", ""]) }
            return [["\(card.manager.name) — \(card.scorecard.scheme.title), \(card.period)"]] + [header] + rows
        }
    }
}

/// Stores a whole import or nothing, and says which: the file's own rejections, or the store's
/// (an unknown manager), are listed line by line and exit with status 2.
private func storeAllOrNothing(
    file: String, rejections: [LedgerCSV.Rejection], stored: String, config: DealerdConfig, _ body: @Sendable @escaping (Store) async throws -> Void
) async throws {
    var rejected = rejections.map { "  line \($0.line): \($0.field): \($0.message)" }
    if rejected.isEmpty {
        let outcome = try await runAdministrative(config: config) { store -> [String] in
            do {
                try await body(store)
                return []
            } catch let error as DealerCore.ValidationError {
                return error.issues.map { "  \($0.field): \($0.message)" }
            }
        }
        if outcome.isEmpty {
            print("\(file): \(stored)")
            return
        }
        rejected = outcome
    }
    print("\(file): rejected, nothing stored")
    for line in rejected { print(line) }
    throw ExitCode(2)
}
