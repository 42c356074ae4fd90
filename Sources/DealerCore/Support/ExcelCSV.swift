import Foundation

/// The one CSV writer, for Russian Excel opened by double click: UTF-8 with a BOM, `;` between
/// fields, CRLF lines; a field holding `;`, a quote, CR or LF is quoted.
///
/// A cell Excel would read as a formula (leading `=`, `+`, `-`, `@`, tab or CR: OWASP's CSV
/// injection rule) gets a leading apostrophe, so a document number like `=HYPERLINK(…)` sent by the
/// ERP shows as text. Plain numbers (`-1500.00`, `-1 500,00`) stay numbers.
public enum ExcelCSV {
    public static func document(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(field).joined(separator: ";") + "\r\n" }.joined()
    }

    public static func field(_ raw: String) -> String {
        var text = raw
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPlainNumber(text) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `-1500.00`, `+15`, `-1 234 567,89`: a sign, digits (grouped by spaces), one decimal separator.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
        var digits = 0
        var separators = 0
        for scalar in scalars {
            switch scalar {
            case "0"..."9": digits += 1
            case " ", "\u{00A0}", "\u{202F}": guard digits > 0, separators == 0 else { return false }
            case ".", ",":
                separators += 1
                guard separators == 1, digits > 0 else { return false }
            default: return false
            }
        }
        return digits > 0
    }
}
