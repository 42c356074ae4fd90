import Foundation

/// A sales-plan file as Excel saves it: one line per dealer and month (`dealer_code;period;amount`),
/// or the yearly sheet with a column per month (`Код дилера;2026-01;2026-02;…`, also `01.2026`).
/// Encodings and separators as in `LedgerCSV`; every bad cell is listed by line and column.
public struct PlanCSV: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var dealer: DealerReference
        public var period: PlanPeriod
        public var draft: SalesPlanDraft
    }

    public var encoding: ImportEncoding
    public var separator: Character
    public var rows: [Row]
    public var rejections: [LedgerCSV.Rejection]

    static let dealerNames = ["dealer code", "dealer", "код дилера", "код контрагента", "дилер", "код"]
    static let periodNames = ["period", "month", "период", "месяц"]
    static let amountNames = ["amount", "plan", "сумма", "план", "сумма плана"]
    static let quantityNames = ["quantity", "количество", "кол во"]

    public init(bytes: [UInt8], encoding forced: ImportEncoding? = nil) throws(LedgerCSV.FileError) {
        let (text, encoding) = ImportText.decode(bytes, as: forced)
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            throw LedgerCSV.FileError(field: "file", message: error.description)
        }
        self.encoding = encoding
        self.separator = table.separator
        let names = table.header.fields.map { LedgerCSV.normalise($0.trimmingCharacters(in: .whitespaces)) }
        func position(_ candidates: [String]) -> Int? { names.firstIndex { candidates.contains($0) } }
        guard let dealerColumn = position(Self.dealerNames) else {
            throw LedgerCSV.FileError(field: "header", message: "line 1 lacks the dealer_code column (Код дилера)")
        }
        // The yearly sheet: every column headed by a month.
        let monthColumns: [(Int, PlanPeriod)] = table.header.fields.enumerated().compactMap { index, name in
            Self.month(name.trimmingCharacters(in: .whitespaces)).map { (index, $0) }
        }
        let periodColumn = position(Self.periodNames)
        let amountColumn = position(Self.amountNames)
        guard !monthColumns.isEmpty || (periodColumn != nil && amountColumn != nil) else {
            throw LedgerCSV.FileError(
                field: "header",
                message: "line 1 needs either period and amount columns, or a column per month headed 2026-01 (or 01.2026)")
        }
        let quantityColumn = position(Self.quantityNames)
        var rows: [Row] = []
        var rejections: [LedgerCSV.Rejection] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            func cell(_ index: Int?) -> String? {
                guard let index, index < record.fields.count else { return nil }
                return record.fields[index].trimmedNonEmpty
            }
            guard let code = cell(dealerColumn) else {
                rejections.append(.init(line: record.line, field: "dealer_code", message: "required: the dealer's code"))
                continue
            }
            var cells: [(PlanPeriod, String?, String?)] = []
            if monthColumns.isEmpty {
                guard let text = cell(periodColumn), let period = Self.month(text) else {
                    rejections.append(.init(line: record.line, field: "period", message: "a month such as 2026-10"))
                    continue
                }
                cells.append((period, cell(amountColumn), cell(quantityColumn)))
            } else {
                // Empty month cells are months without a plan, not zeros.
                cells = monthColumns.compactMap { index, period in cell(index).map { (period, $0, nil) } }
            }
            for (period, amount, quantity) in cells {
                let key = code + "/" + period.description
                if let earlier = seen[key] {
                    rejections.append(
                        .init(line: record.line, field: "period", message: "\(period) of \(code) is planned on line \(earlier) already"))
                    continue
                }
                seen[key] = record.line
                rows.append(
                    Row(line: record.line, dealer: DealerReference(code), period: period, draft: SalesPlanDraft(amount: amount, quantity: quantity)))
            }
        }
        self.rows = rows
        self.rejections = rejections
    }

    /// `2026-10` or `10.2026`.
    static func month(_ text: String) -> PlanPeriod? {
        if let period = PlanPeriod(parsing: text), case .month = period.kind { return period }
        let parts = text.split(separator: ".")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 4, let month = Int(parts[0]), let year = Int(parts[1]),
            (1...12).contains(month)
        else { return nil }
        return PlanPeriod(year: year, kind: .month(month))
    }
}
