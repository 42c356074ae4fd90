import Foundation

/// One record of a CSV file with the line it starts on (1-based, the header is line 1), so a
/// rejection can point the accountant at the row in Excel.
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// A CSV file as 1C and Excel write it: RFC 4180 quoting (doubled quotes inside, line breaks
/// allowed in quoted fields), CRLF or LF, `;` (Russian Excel) or `,` as the separator, guessed
/// from the header line.
public struct CSVTable: Sendable {
    public var separator: Character
    public var header: CSVRecord
    public var records: [CSVRecord]

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case unterminatedQuote(line: Int)

        public var description: String {
            switch self {
            case .empty: "the file has no header line"
            case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
            }
        }
    }

    public init(parsing text: String) throws(ParseError) {
        let separator = Self.guessSeparator(text)
        var records = try Self.records(of: text, separator: separator)
        records.removeAll { $0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard !records.isEmpty else { throw .empty }
        self.separator = separator
        self.header = records.removeFirst()
        self.records = records
    }

    /// The separator that occurs more often outside quotes on the first line: `;` wins a tie, since
    /// Russian Excel writes it and decimal commas make `,` ambiguous.
    static func guessSeparator(_ text: String) -> Character {
        var semicolons = 0
        var commas = 0
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if quoted { continue }
            if character == "\n" || character == "\r\n" || character == "\r" { break }
            if character == ";" { semicolons += 1 }
            if character == "," { commas += 1 }
        }
        return commas > semicolons ? "," : ";"
    }

    static func records(of text: String, separator: Character) throws(ParseError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            records.append(CSVRecord(line: recordLine, fields: fields))
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let character = pending ?? characters.next() {
            pending = nil
            let isLineBreak = character == "\n" || character == "\r\n" || character == "\r"
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if isLineBreak { line += 1 }
                    field.append(isLineBreak ? "\n" : character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            case separator:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case _ where isLineBreak:
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if quoted { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
