import Foundation

/// Ledger documents read from a CSV export. Columns are found by name in the header, in any order,
/// under their API names or the Russian names 1C and accountants use ("Код дилера", "Сумма", …);
/// kinds may be written in Russian too ("Отгрузка", "Оплата", …). Columns it does not know are
/// listed and otherwise left alone, so a fuller export imports as it is.
public struct LedgerCSV: Sendable {
    /// A row turned into a draft, with where it came from.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var dealer: DealerReference
        public var draft: LedgerEntryDraft
    }

    /// A row that cannot become a document at all.
    public struct Rejection: Sendable, Equatable, Codable {
        public var line: Int
        public var field: String
        public var message: String

        public init(line: Int, field: String, message: String) {
            self.line = line
            self.field = field
            self.message = message
        }
    }

    /// Problems with the file as a whole: nothing in it can be read.
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var message: String
        public var description: String { message }
    }

    public var encoding: ImportEncoding
    public var separator: Character
    public var rows: [Row]
    public var rejections: [Rejection]
    /// Header names that matched no column.
    public var ignoredColumns: [String]
    /// Data lines in the file (not counting the header and blank lines).
    public var lineCount: Int { rows.count + Set(rejections.map(\.line)).count }

    enum Column: String, CaseIterable {
        case dealerCode = "dealer_code"
        case dealerID = "dealer_id"
        case externalID = "external_id"
        case kind
        case documentNumber = "document_number"
        case documentDate = "document_date"
        case amount, currency
        case dueDate = "due_date"
        case comment, reason, quantity
        case productGroup = "product_group"

        /// The names a header may use, normalised (lower case, `ё`→`е`, spaces and `_` as one space).
        var names: [String] {
            let russian: [String] =
                switch self {
                case .dealerCode: ["код дилера", "код контрагента", "дилер код", "код"]
                case .dealerID: ["ид дилера", "идентификатор дилера"]
                case .externalID: ["ид документа", "идентификатор документа", "guid", "guid документа", "ссылка"]
                case .kind: ["вид", "вид документа", "тип", "тип документа"]
                case .documentNumber: ["номер", "номер документа"]
                case .documentDate: ["дата", "дата документа"]
                case .amount: ["сумма", "сумма документа"]
                case .currency: ["валюта"]
                case .dueDate: ["срок оплаты", "дата оплаты", "оплатить до"]
                case .comment: ["комментарий", "примечание"]
                case .reason: ["основание", "причина"]
                case .quantity: ["количество", "кол во"]
                case .productGroup: ["товарная группа", "номенклатурная группа", "группа товаров"]
                }
            return [LedgerCSV.normalise(rawValue)] + russian
        }
    }

    /// Every column a file may have, as the API names it: the documented set.
    public static var columnNames: [String] { Column.allCases.map(\.rawValue) }

    static func normalise(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "ё", with: "е")
            .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" || $0 == "." || $0 == "\u{A0}" })
            .joined(separator: " ")
    }

    static let kindNames: [String: LedgerEntryKind] = [
        "отгрузка": .shipment, "реализация": .shipment, "реализация товаров": .shipment,
        "счет": .invoice, "счет на оплату": .invoice,
        "оплата": .payment, "поступление": .payment, "платеж": .payment, "поступление на расчетный счет": .payment,
        "возврат": .return, "возврат товаров": .return,
        "корректировка": .adjustment, "корректировка долга": .adjustment,
    ]

    public init(bytes: [UInt8], encoding forced: ImportEncoding? = nil) throws(FileError) {
        let (text, encoding) = ImportText.decode(bytes, as: forced)
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            throw FileError(field: "file", message: error.description)
        }
        self.encoding = encoding
        self.separator = table.separator

        var positions: [Column: Int] = [:]
        var ignored: [String] = []
        for (index, rawName) in table.header.fields.enumerated() {
            let name = Self.normalise(rawName.trimmingCharacters(in: .whitespaces))
            if let column = Column.allCases.first(where: { $0.names.contains(name) }), positions[column] == nil {
                positions[column] = index
            } else if !name.isEmpty {
                ignored.append(rawName.trimmingCharacters(in: .whitespaces))
            }
        }
        let required: [Column] = [.externalID, .kind, .documentNumber, .documentDate, .amount]
        let missing =
            required.filter { positions[$0] == nil }.map(\.rawValue)
            + (positions[.dealerCode] == nil && positions[.dealerID] == nil ? ["dealer_code or dealer_id"] : [])
        guard missing.isEmpty else {
            throw FileError(
                field: "header",
                message: "line 1 lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); "
                    + "the header names the columns (\(Self.columnNames.joined(separator: ", "))), separated by \(table.separator)")
        }
        self.ignoredColumns = ignored

        var rows: [Row] = []
        var rejections: [Rejection] = []
        var firstLine: [String: Int] = [:]
        for record in table.records {
            func value(_ column: Column) -> String? {
                guard let position = positions[column], position < record.fields.count else { return nil }
                return record.fields[position].trimmedNonEmpty
            }
            let dealer: DealerReference
            if let code = value(.dealerCode) {
                dealer = .code(code)
            } else if let text = value(.dealerID) {
                guard let id = UUID(uuidString: text) else {
                    rejections.append(Rejection(line: record.line, field: "dealer_id", message: "not a dealer id: \(text)"))
                    continue
                }
                dealer = .id(id)
            } else {
                rejections.append(Rejection(line: record.line, field: "dealer_code", message: "required: the dealer's code"))
                continue
            }
            if let externalID = value(.externalID) {
                if let first = firstLine[externalID] {
                    rejections.append(
                        Rejection(line: record.line, field: "external_id", message: "the same document as line \(first)"))
                    continue
                }
                firstLine[externalID] = record.line
            }
            let kind = value(.kind).map { text in
                Self.kindNames[Self.normalise(text)]?.rawValue ?? text.lowercased()
            }
            let draft = LedgerEntryDraft(
                externalID: value(.externalID), kind: kind, documentNumber: value(.documentNumber),
                documentDate: value(.documentDate), amount: value(.amount), currency: value(.currency),
                dueDate: value(.dueDate), comment: value(.comment), reason: value(.reason), quantity: value(.quantity),
                productGroup: value(.productGroup))
            rows.append(Row(line: record.line, dealer: dealer, draft: draft))
        }
        self.rows = rows
        self.rejections = rejections
    }
}
