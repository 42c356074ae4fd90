import Foundation

/// Debian's chromium, headless, for looking at the pages dealerd prints: a screenshot, the PDF a
/// browser's "Print" makes, and the page's layout measured after rendering.
///
/// `.ci/run` installs it and sets `DEALERD_TEST_REQUIRE_CHROMIUM=1`, so there a missing browser fails
/// the test; on a developer's machine without it the test is skipped and says so.
public enum HeadlessChromium {
    public static let executable: String? = {
        let candidates = [ProcessInfo.processInfo.environment["DEALERD_TEST_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    public static let required = ProcessInfo.processInfo.environment["DEALERD_TEST_REQUIRE_CHROMIUM"] == "1"

    /// A4 at the browser's 96 CSS pixels per inch.
    public static let a4 = (width: 794, height: 1123)

    /// A PNG of the page at A4 width, as tall as `height`.
    public static func screenshot(of page: URL, to png: URL, height: Int = a4.height) throws {
        _ = try run(["--window-size=\(a4.width),\(height)", "--screenshot=\(png.path)", page.absoluteString])
    }

    /// The PDF that printing the page makes, without the browser's own header and footer.
    public static func printToPDF(_ page: URL, to pdf: URL) throws {
        _ = try run(["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page.absoluteString])
    }

    /// The document after rendering at A4 width, scripts run: how a test reads measurements a
    /// script of its own wrote into the page.
    public static func renderedDOM(of page: URL) throws -> String {
        try run(["--window-size=\(a4.width),\(a4.height)", "--virtual-time-budget=2000", "--dump-dom", page.absoluteString])
    }

    /// Pages in a PDF and the size of each in points: counts the page objects, reads their MediaBox.
    public static func pageSizes(ofPDF data: Data) -> [(width: Double, height: Double)] {
        let text = String(decoding: data, as: Unicode.ASCII.self)
        let pattern = try! NSRegularExpression(pattern: #"/Type\s*/Page[^s][\s\S]*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]"#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let number = { (index: Int) in Range(match.range(at: index), in: text).flatMap { Double(text[$0]) } }
            guard let x0 = number(1), let y0 = number(2), let x1 = number(3), let y1 = number(4) else { return nil }
            return (x1 - x0, y1 - y0)
        }
    }

    private static func run(_ arguments: [String]) throws -> String {
        guard let executable else { throw TestSetupError(description: "chromium is not installed (apt-get install chromium)") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // CI runs as root, where chromium's sandbox cannot start; the pages are our own.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0 else {
            throw TestSetupError(description: "chromium \(arguments.last ?? "") ended with status \(process.terminationStatus)")
        }
        return String(decoding: printed, as: UTF8.self)
    }
}

/// Files a test run leaves for people to look at: `DEALERD_TEST_ARTIFACTS`, else `.build/test-artifacts`.
public enum TestArtifacts {
    public static func directory() throws -> URL {
        let path =
            ProcessInfo.processInfo.environment["DEALERD_TEST_ARTIFACTS"]
            ?? FileManager.default.currentDirectoryPath + "/.build/test-artifacts"
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
