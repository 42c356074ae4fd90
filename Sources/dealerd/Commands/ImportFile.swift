import ArgumentParser
import DealerCore
import Foundation

/// Reads an import file and parses it, or says why not on stderr: exit 66 (EX_NOINPUT) when it
/// cannot be read, 65 (EX_DATAERR) when it is not a file of its kind.
func parseImportFile<Parsed>(_ path: String, _ parse: ([UInt8]) throws -> Parsed) throws -> Parsed {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("dealerd: cannot read \(path)")
        throw ExitCode(66)
    }
    do {
        return try parse(Array(data))
    } catch let error as LedgerCSV.FileError {
        printError("dealerd: \(path): \(error.message)")
        throw ExitCode(65)
    }
}
