import Foundation

/// Debian's poppler-utils, for reading the PDFs dealerd makes as a person's viewer would: the text
/// one can select, the page count and sizes, and page one as a PNG to look at.
///
/// `.ci/run` installs it and sets `DEALERD_TEST_REQUIRE_PDF=1`, so there a missing tool (or a missing
/// libharu) fails the test; on a developer's machine without them the test is skipped and says so.
public enum Poppler {
    public static let available = ["pdftotext", "pdfinfo", "pdftoppm"].allSatisfy { tool in
        FileManager.default.isExecutableFile(atPath: "/usr/bin/\(tool)")
    }

    public static let required = ProcessInfo.processInfo.environment["DEALERD_TEST_REQUIRE_PDF"] == "1"

    /// The text of every page, in reading order.
    public static func text(of pdf: URL) throws -> String {
        try run("pdftotext", [pdf.path, "-"])
    }

    /// `pdfinfo`'s fields: `Pages`, `Page size`, `Title`, …
    public static func info(of pdf: URL) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try run("pdfinfo", [pdf.path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// Page one as a PNG at 100 dpi.
    public static func firstPage(of pdf: URL, to png: URL) throws {
        _ = try run("pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdf.path, png.deletingPathExtension().path])
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError(description: "\(tool) \(arguments.joined(separator: " ")) ended with status \(process.terminationStatus)")
        }
        return String(decoding: printed, as: UTF8.self)
    }
}
