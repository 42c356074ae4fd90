import Foundation

/// CSV as Russian Excel opens it by double click: UTF-8 with a BOM, `;` between fields, CRLF lines.
enum ExcelCSV {
    static func write(_ rows: [[String]]) {
        var output = "\u{FEFF}"
        for row in rows {
            output += row.map { field in
                field.contains(";") || field.contains("\"") || field.contains("\n")
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ";") + "\r\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
