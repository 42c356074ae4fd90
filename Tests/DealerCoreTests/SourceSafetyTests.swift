import Foundation
import Testing

/// Nothing from outside can trap: no force-unwrap, `try!`, `as!`, `fatalError`, precondition or
/// assertion, and no Double → integer conversion that traps, anywhere in Sources. The few places
/// where one is justified are listed below with the reason; anything else fails this test with the
/// file and line, so a new one is either rewritten (`guard let`, `?? default`, `clampedInt64`) or
/// argued for here.
@Suite struct SourceSafetyTests {
    /// `path:trimmed line` → why it cannot trap.
    static let allowed: [String: String] = [:]

    nonisolated(unsafe) static let trapping = try! Regex(#"try!|as!|fatalError\(|precondition(Failure)?\(|assert(ionFailure)?\(|[\w)\]]!(?!=)"#)
    /// An integer made from a floating-point value (time intervals, scaled durations) without
    /// `exactly:`/`clamping:`: traps on NaN, infinity or a value past the type's end.
    nonisolated(unsafe) static let floatToInteger = try! Regex(
        #"\bU?Int(8|16|32|64)?\((?!exactly|clamping|truncatingIfNeeded|bitPattern|Timestamp\.clamped)[^)]*(rounded|timeInterval|TimeInterval|Double|\* 1000\b|1_000_000_000\b)"#
    )

    @Test func noTrapOnOutsideValuesInSources() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100, "the scan must see the sources (found \(files.count) files under \(sources.path))")
        var findings: [String] = []
        var allowedSeen = Set<String>()
        for file in files.sorted() {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, code) in Self.codeLines(of: text) {
                guard code.contains(Self.trapping) || code.contains(Self.floatToInteger) else { continue }
                let key = "\(file):\(code.trimmingCharacters(in: .whitespaces))"
                if Self.allowed[key] != nil {
                    allowedSeen.insert(key)
                } else {
                    findings.append("Sources/\(file):\(number): \(code.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(findings.isEmpty, "may trap on a value from outside:\n\(findings.joined(separator: "\n"))")
        #expect(Set(Self.allowed.keys) == allowedSeen, "allow-list entries that no longer match: \(Set(Self.allowed.keys).subtracting(allowedSeen))")
    }

    /// The scanner itself finds what it is for, and not string contents or comments.
    @Test func scannerSeesTrapsButNotTextOrComments() {
        let sample = """
            let a = b!
            let c = try! d()
            let e = Int64(f.timeIntervalSince1970 * 1000)
            let g = "wow!" // h!
            let i = j != k
            let s = \"\"\"
                not code!
                \\(l!)
                \"\"\"
            """
        let hits = Self.codeLines(of: sample).filter { $0.1.contains(Self.trapping) || $0.1.contains(Self.floatToInteger) }.map(\.0)
        #expect(hits == [1, 2, 3, 8])
    }

    /// Each line's code: comments dropped, string contents blanked (interpolations kept, since
    /// `\(x!)` traps like any other code), multi-line string bodies likewise.
    static func codeLines(of text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var inMultiline = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var code = ""
            var inString = inMultiline
            var depth = 0  // interpolation depth inside a string
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if !inString || depth > 0 {
                    if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" && depth == 0 { break }
                    if depth > 0 && c == "(" { depth += 1 }
                    if depth > 0 && c == ")" {
                        depth -= 1
                        if depth == 0 {
                            code.append(" ")
                            i += 1
                            continue
                        }
                    }
                    if depth == 0 && c == "\"" {
                        if i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"" {
                            inMultiline = true
                            inString = true
                            i += 3
                            continue
                        }
                        inString = true
                        code.append("\"")
                        i += 1
                        continue
                    }
                    code.append(c)
                } else {
                    if c == "\\" && i + 1 < chars.count {
                        if chars[i + 1] == "(" {
                            depth = 1
                            code.append(" ")
                            i += 2
                            continue
                        }
                        i += 2
                        continue
                    }
                    if c == "\"" {
                        if inMultiline && i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"" {
                            inMultiline = false
                            inString = false
                            i += 3
                            continue
                        }
                        if !inMultiline {
                            inString = false
                            code.append("\"")
                        }
                    } else {
                        code.append(" ")
                    }
                }
                i += 1
            }
            result.append((index + 1, code))
        }
        return result
    }
}
