import Foundation

/// The text encodings a spreadsheet or 1C export arrives in.
public enum ImportEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    case windows1251 = "windows-1251"
}

/// Turns the bytes of an uploaded file into text. 1C and Excel on Russian Windows still save CSV in
/// Windows-1251; newer exports are UTF-8, often with a byte-order mark. Cyrillic text in Windows-1251
/// is practically never valid UTF-8, so "valid UTF-8, else Windows-1251" guesses right.
public enum ImportText {
    public static func decode(_ bytes: [UInt8], as forced: ImportEncoding? = nil) -> (text: String, encoding: ImportEncoding) {
        var body = bytes[...]
        let hasBOM = body.starts(with: [0xEF, 0xBB, 0xBF])
        if hasBOM { body = body.dropFirst(3) }
        let encoding = forced ?? (hasBOM || isValidUTF8(body) ? .utf8 : .windows1251)
        switch encoding {
        case .utf8: return (String(decoding: body, as: UTF8.self), .utf8)
        case .windows1251: return (decodeWindows1251(body), .windows1251)
        }
    }

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func decodeWindows1251(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : UInt32(upperHalf[Int(byte) - 0x80])
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Code points of bytes 0x80–0xFF in Windows-1251 (0x98 is unassigned).
    static let upperHalf: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]
}

extension ImportText {
    fileprivate static let windows1251Bytes: [UInt32: UInt8] = {
        var bytes: [UInt32: UInt8] = [:]
        for (offset, scalar) in upperHalf.enumerated() where scalar != 0xFFFD { bytes[UInt32(scalar)] = UInt8(0x80 + offset) }
        return bytes
    }()

    /// Text as Windows-1251 bytes (FNS XML files are in it); nil names the first character it lacks.
    public static func encodeWindows1251(_ text: String) -> Result<[UInt8], UnrepresentableCharacter> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = windows1251Bytes[scalar.value] {
                bytes.append(byte)
            } else {
                return .failure(UnrepresentableCharacter(character: Character(scalar)))
            }
        }
        return .success(bytes)
    }
}

extension ImportText {
    /// Text as Windows-1251 bytes, each character it lacks written as `replacement`: for printing,
    /// where a `?` in a rare name beats no document at all.
    public static func encodeWindows1251(_ text: String, replacingWith replacement: UInt8) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            scalar.value < 0x80 ? UInt8(scalar.value) : windows1251Bytes[scalar.value] ?? replacement
        }
    }
}

/// A character Windows-1251 cannot write.
public struct UnrepresentableCharacter: Error, Sendable, Equatable {
    public var character: Character
}
