import Foundation

/// A file of the KPIs dealerd cannot see, as the telephony or the CRM exports them:
/// `E-mail;Период;Показатель;Значение;Источник` (or `email;period;kpi;value;source`); the source
/// column may be left out, and then every line's source is the file's (`defaultSource`).
/// Encodings and separators as in `LedgerCSV`; every bad cell is listed by line and column.
public struct KPIValueCSV: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var email: String
        public var period: PlanPeriod
        public var kpi: KPI
        public var value: ExternalKPIValue
    }

    public var rows: [Row]
    public var rejections: [LedgerCSV.Rejection]

    public init(bytes: [UInt8], defaultSource: String) throws(LedgerCSV.FileError) {
        var rows: [Row] = []
        rejections = try ManagerKPIFile.read(
            bytes, required: [("value", ["value", "значение", "факт"])], optional: [("source", ["source", "источник"])],
            layout: "E-mail;Период;Показатель;Значение;Источник"
        ) { record in
            do throws(ValidationError) {
                let value = try ExternalKPIValue.validated(
                    kpi: record.kpi, value: record.cell("value"), source: record.cell("source"), fallbackSource: defaultSource)
                rows.append(Row(line: record.line, email: record.email, period: record.period, kpi: record.kpi, value: value))
                return []
            } catch {
                return error.issues.map { ($0.field, $0.message) }
            }
        }
        self.rows = rows
    }
}
