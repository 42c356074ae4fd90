import Foundation

/// A targets file as Excel saves it: `E-mail;Период;Показатель;Цель` (or `email;period;kpi;target`),
/// one line per manager, period and KPI. Encodings and separators as in `LedgerCSV`; every bad cell
/// is listed by line and column.
public struct KPITargetCSV: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var email: String
        public var period: PlanPeriod
        public var kpi: KPI
        public var target: Decimal
    }

    public var rows: [Row]
    public var rejections: [LedgerCSV.Rejection]

    static let columns: [(field: String, names: [String])] = [
        ("email", ["email", "e mail", "почта", "менеджер"]),
        ("period", ["period", "период", "месяц"]),
        ("kpi", ["kpi", "показатель"]),
        ("target", ["target", "цель", "план"]),
    ]

    public init(bytes: [UInt8]) throws(LedgerCSV.FileError) {
        let (text, _) = ImportText.decode(bytes, as: nil)
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            throw LedgerCSV.FileError(field: "file", message: error.description)
        }
        let names = table.header.fields.map { LedgerCSV.normalise($0.trimmingCharacters(in: .whitespaces)) }
        var positions: [String: Int] = [:]
        for column in Self.columns {
            guard let index = names.firstIndex(where: { column.names.contains($0) }) else {
                throw LedgerCSV.FileError(field: "header", message: "line 1 lacks the \(column.field) column (E-mail;Период;Показатель;Цель)")
            }
            positions[column.field] = index
        }
        var rows: [Row] = []
        var rejections: [LedgerCSV.Rejection] = []
        for record in table.records {
            func cell(_ field: String) -> String {
                let index = positions[field] ?? 0
                return index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            var problems: [(String, String)] = []
            let email = cell("email")
            if !email.looksLikeEmail { problems.append(("email", "not an e-mail address")) }
            let period = PlanPeriod(parsing: cell("period"))
            if period == nil { problems.append(("period", "a month (2026-11), a quarter (2026-Q4) or a year (2026)")) }
            let kpi = KPI(rawValue: cell("kpi"))
            if kpi == nil { problems.append(("kpi", "not a KPI; one of \(KPI.allCases.map(\.rawValue).joined(separator: ", "))")) }
            var target: Decimal?
            if let kpi {
                switch KPITarget.parse(cell("target"), for: kpi) {
                case .success(let value): target = value
                case .failure(let problem): problems.append(("target", problem.message))
                }
            }
            if let period, let kpi, let target, problems.isEmpty {
                rows.append(Row(line: record.line, email: email, period: period, kpi: kpi, target: target))
            } else {
                rejections += problems.map { LedgerCSV.Rejection(line: record.line, field: $0.0, message: $0.1) }
            }
        }
        self.rows = rows
        self.rejections = rejections
    }
}
