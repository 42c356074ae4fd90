import DealerCore
import Foundation

extension ExcelCSV {
    /// Writes the rows to standard output, as the CLI's `--format csv` does.
    static func write(_ rows: [[String]]) {
        FileHandle.standardOutput.write(Data(document(rows).utf8))
    }
}
