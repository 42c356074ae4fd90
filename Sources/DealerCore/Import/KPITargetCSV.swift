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

    public init(bytes: [UInt8]) throws(LedgerCSV.FileError) {
        var rows: [Row] = []
        rejections = try ManagerKPIFile.read(
            bytes, required: [("target", ["target", "цель", "план"])], layout: "E-mail;Период;Показатель;Цель"
        ) { record in
            switch KPITarget.parse(record.cell("target"), for: record.kpi) {
            case .success(let target):
                rows.append(Row(line: record.line, email: record.email, period: record.period, kpi: record.kpi, target: target))
                return []
            case .failure(let problem):
                return [("target", problem.message)]
            }
        }
        self.rows = rows
    }
}
