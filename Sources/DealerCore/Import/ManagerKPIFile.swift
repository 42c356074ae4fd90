import Foundation

/// What a targets file and a values file share: one line per manager (by e-mail), period and KPI,
/// the header found by its Russian or English names, every bad cell listed by line and column.
/// Each file reads its own value columns through `cell`.
struct ManagerKPIFile {
    struct Record {
        var line: Int
        var email: String
        var period: PlanPeriod
        var kpi: KPI
        var cell: (String) -> String
    }

    static let keyColumns: [(field: String, names: [String])] = [
        ("email", ["email", "e mail", "почта", "менеджер"]),
        ("period", ["period", "период", "месяц"]),
        ("kpi", ["kpi", "показатель"]),
    ]

    /// Calls `row` for every line whose key cells are good; `row` answers the line's problems with
    /// its own cells (empty when the line is taken). `required` and `optional` are the file's value
    /// columns; `layout` names the header in the message for a missing column.
    static func read(
        _ bytes: [UInt8], required: [(field: String, names: [String])], optional: [(field: String, names: [String])] = [],
        layout: String, row: (Record) -> [(String, String)]
    ) throws(LedgerCSV.FileError) -> [LedgerCSV.Rejection] {
        let (text, _) = ImportText.decode(bytes, as: nil)
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            throw LedgerCSV.FileError(field: "file", message: error.description)
        }
        let names = table.header.fields.map { LedgerCSV.normalise($0.trimmingCharacters(in: .whitespaces)) }
        var positions: [String: Int] = [:]
        for column in keyColumns + required {
            guard let index = names.firstIndex(where: { column.names.contains($0) }) else {
                throw LedgerCSV.FileError(field: "header", message: "line 1 lacks the \(column.field) column (\(layout))")
            }
            positions[column.field] = index
        }
        for column in optional {
            if let index = names.firstIndex(where: { column.names.contains($0) }) { positions[column.field] = index }
        }
        var rejections: [LedgerCSV.Rejection] = []
        for record in table.records {
            func cell(_ field: String) -> String {
                guard let index = positions[field], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            var problems: [(String, String)] = []
            let email = cell("email")
            if !email.looksLikeEmail { problems.append(("email", "not an e-mail address")) }
            let period = PlanPeriod(parsing: cell("period"))
            if period == nil { problems.append(("period", "a month (2026-11), a quarter (2026-Q4) or a year (2026)")) }
            let kpi = KPI(rawValue: cell("kpi"))
            if kpi == nil { problems.append(("kpi", "not a KPI; one of \(KPI.allCases.map(\.rawValue).joined(separator: ", "))")) }
            if let period, let kpi {
                problems += row(Record(line: record.line, email: email, period: period, kpi: kpi, cell: cell))
            }
            rejections += problems.map { LedgerCSV.Rejection(line: record.line, field: $0.0, message: $0.1) }
        }
        return rejections
    }
}
