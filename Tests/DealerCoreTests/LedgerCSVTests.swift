import DealerCore
import Foundation
import Testing

@Suite("Reading CSV exports of 1C and Excel")
struct LedgerCSVTests {
    /// "Отгрузка" in Windows-1251, as Python's cp1251 codec writes it.
    static let shipmentInWindows1251: [UInt8] = [0xCE, 0xF2, 0xE3, 0xF0, 0xF3, 0xE7, 0xEA, 0xE0]

    @Test
    func windows1251AndUTF8WithOrWithoutBOMAreReadAlike() {
        #expect(ImportText.decode(Self.shipmentInWindows1251).text == "Отгрузка")
        #expect(ImportText.decode(Self.shipmentInWindows1251).encoding == .windows1251)
        #expect(ImportText.decode(Array("Отгрузка".utf8)) == ("Отгрузка", .utf8))
        #expect(ImportText.decode([0xEF, 0xBB, 0xBF] + Array("Отгрузка".utf8)) == ("Отгрузка", .utf8))
        // Ё, №, the non-breaking space Excel puts in thousands, and the em dash.
        #expect(ImportText.decode([0xA8, 0xB9, 0xA0, 0x97]).text == "Ё№\u{A0}—")
        #expect(ImportText.decode(Array("Ok".utf8), as: .windows1251).text == "Ok")
    }

    @Test
    func quotedFieldsKeepSeparatorsQuotesAndLineBreaks() throws {
        let table = try CSVTable(
            parsing: "a;b;c\r\n1;\"x;y\";\"say \"\"hi\"\"\"\r\n2;\"two\r\nlines\";\r\n\r\n3;;\n")
        #expect(table.separator == ";")
        #expect(table.header.fields == ["a", "b", "c"])
        #expect(table.records.map(\.fields) == [["1", "x;y", "say \"hi\""], ["2", "two\nlines", ""], ["3", "", ""]])
        #expect(table.records.map(\.line) == [2, 3, 6], "a record is numbered by the line it starts on")
        #expect(throws: CSVTable.ParseError.unterminatedQuote(line: 2)) { try CSVTable(parsing: "a;b\n1;\"open\n") }
        #expect(throws: CSVTable.ParseError.empty) { try CSVTable(parsing: "\n\n") }
    }

    @Test
    func theSeparatorIsGuessedFromTheHeader() throws {
        #expect(try CSVTable(parsing: "a,b,c\n\"1,5\",2,3").separator == ",")
        #expect(try CSVTable(parsing: "a;b\n1,5;2").separator == ";")
        #expect(try CSVTable(parsing: "\"a,b\";c\n1;2").separator == ";", "commas inside quotes do not count")
    }

    @Test
    func russianHeadersAndKindsMapToTheDocumentedColumns() throws {
        let text = """
            Код дилера,Ид документа,Вид,Номер,Дата,Сумма,Срок оплаты,Контрагент
            D-1,1C-1,Отгрузка,РН-1,01.10.2026,"125 000,50",31.10.2026,Альфа
            D-1,1C-2,оплата,ПП-1,2026-10-05,1000,,Альфа
            ,1C-3,Оплата,ПП-2,2026-10-05,1000,,Без кода
            D-1,1C-1,Отгрузка,РН-1,01.10.2026,1,,Повтор
            """
        let file = try LedgerCSV(bytes: Array(text.utf8))
        #expect(file.separator == ",")
        #expect(file.ignoredColumns == ["Контрагент"])
        #expect(file.rows.count == 2)
        #expect(file.rows[0].line == 2 && file.rows[0].dealer == .code("D-1"))
        #expect(
            file.rows[0].draft
                == LedgerEntryDraft(
                    externalID: "1C-1", kind: "shipment", documentNumber: "РН-1", documentDate: "01.10.2026", amount: "125 000,50",
                    dueDate: "31.10.2026"))
        #expect(file.rows[1].draft.kind == "payment")
        #expect(
            file.rejections == [
                .init(line: 4, field: "dealer_code", message: "required: the dealer's code"),
                .init(line: 5, field: "external_id", message: "the same document as line 2"),
            ])
        #expect(file.lineCount == 4)
    }

    @Test
    func aFileWithoutTheRequiredColumnsIsRefusedNamingThem() {
        #expect {
            try LedgerCSV(bytes: Array("dealer_code;amount\nD-1;5".utf8))
        } throws: { error in
            let message = (error as? LedgerCSV.FileError)?.message ?? ""
            return message.hasPrefix("line 1 lacks the columns external_id, kind, document_number, document_date;")
        }
    }
}
