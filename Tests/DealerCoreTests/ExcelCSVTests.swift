import DealerCore
import Testing

@Suite("The CSV writer for Excel")
struct ExcelCSVTests {
    @Test func cellsExcelWouldRunAsAFormulaAreShownAsText() {
        for attack in ["=HYPERLINK(\"http://x\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"] {
            #expect(ExcelCSV.field(attack).hasPrefix("'") || ExcelCSV.field(attack).hasPrefix("\"'"), "\(attack)")
        }
        #expect(ExcelCSV.field("=1+1") == "'=1+1")
        #expect(ExcelCSV.field("=A1;B1") == "\"'=A1;B1\"", "quoted after neutralising")
    }

    @Test func numbersTextAndQuotesAreKept() {
        #expect(ExcelCSV.field("-1500.00") == "-1500.00")
        #expect(ExcelCSV.field("-1 234 567,89") == "-1 234 567,89")
        #expect(ExcelCSV.field("+15") == "+15")
        #expect(ExcelCSV.field("РН-123") == "РН-123")
        #expect(ExcelCSV.field("ООО \"Альфа\"") == "\"ООО \"\"Альфа\"\"\"")
        #expect(ExcelCSV.field("две\nстроки") == "\"две\nстроки\"")
        #expect(ExcelCSV.field("-") == "'-", "a lone sign is not a number")
        #expect(ExcelCSV.document([["a", "b"], ["1", "=2"]]) == "\u{FEFF}a;b\r\n1;'=2\r\n")
    }
}
