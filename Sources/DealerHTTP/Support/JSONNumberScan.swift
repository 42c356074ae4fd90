import Foundation

/// Finds the numbers in a JSON text that a whole-number field cannot hold: a fraction, an exponent,
/// or a value past Int64. Foundation's decoder on Linux reports such a number as "not valid JSON"
/// with no field, so the request would get a 400 that names nothing; with the paths found here it
/// gets a 422 naming each field at fault. Runs only when decoding has already failed.
enum JSONNumberScan {
    /// Paths (`entries[0].amount`) of such numbers, in document order; nil when the text is not JSON
    /// this scan can follow (then it is malformed, and a 400 is right).
    static func unfitNumbers(in data: Data) -> [String]? {
        var scanner = Scanner(bytes: Array(data))
        scanner.skipSpace()
        guard scanner.value(path: []) else { return nil }
        scanner.skipSpace()
        guard scanner.index == scanner.bytes.count else { return nil }
        return scanner.found
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var found: [String] = []
        /// Deeper than any request of ours; a deeper text is not followed (and stays a 400).
        static let maximumDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(path: [Step]) -> Bool {
            guard path.count <= Self.maximumDepth, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return object(path: path)
            case UInt8(ascii: "["): return array(path: path)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number(path: path)
            }
        }

        mutating func object(path: [Step]) -> Bool {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return true
            }
            while true {
                skipSpace()
                guard let key = string() else { return false }
                skipSpace()
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpace()
                guard value(path: path + [.key(key)]) else { return false }
                skipSpace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "}") else { return false }
                index += 1
                return true
            }
        }

        mutating func array(path: [Step]) -> Bool {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return true
            }
            var position = 0
            while true {
                skipSpace()
                guard value(path: path + [.index(position)]) else { return false }
                position += 1
                skipSpace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "]") else { return false }
                index += 1
                return true
            }
        }

        /// A string's text (escapes kept as written: keys of ours have none).
        mutating func string() -> String? {
            guard current == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while let byte = current {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                }
                index += 1
            }
            return nil
        }

        mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
            index += expected.count
            return true
        }

        mutating func number(path: [Step]) -> Bool {
            let start = index
            while let byte = current,
                byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            {
                index += 1
            }
            guard index > start else { return false }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if Int64(text) == nil { found.append(Self.describe(path)) }
            return true
        }

        static func describe(_ path: [Step]) -> String {
            var result = ""
            for step in path {
                switch step {
                case .index(let position): result += "[\(position)]"
                case .key(let key): result += result.isEmpty ? key : "." + key
                }
            }
            return result.isEmpty ? "body" : result
        }
    }
}
