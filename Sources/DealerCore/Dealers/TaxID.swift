import Foundation

/// A Russian taxpayer number (ИНН): 10 digits for an organisation, 12 for an individual
/// entrepreneur, each with its check digits verified (the Federal Tax Service's weights).
public struct TaxID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Sendable, Equatable {
        case notDigits
        case wrongLength(Int)
        case badChecksum
    }

    public init(_ raw: String) throws(Problem) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .notDigits }
        let digits = text.compactMap { $0.wholeNumberValue }
        switch digits.count {
        case 10:
            guard Self.checkDigit(digits, weights: [2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[9] else {
                throw .badChecksum
            }
        case 12:
            guard Self.checkDigit(digits, weights: [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[10],
                Self.checkDigit(digits, weights: [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digits[11]
            else { throw .badChecksum }
        default:
            throw .wrongLength(digits.count)
        }
        self.value = text
    }

    /// An organisation (10 digits) rather than an individual entrepreneur (12 digits).
    public var isOrganisation: Bool { value.count == 10 }

    public var description: String { value }

    static func checkDigit(_ digits: [Int], weights: [Int]) -> Int {
        zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 % 10
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension TaxID.Problem {
    public var message: String {
        switch self {
        case .notDigits: "an INN consists of digits only"
        case .wrongLength(let count): "an INN has 10 digits (organisation) or 12 (individual), not \(count)"
        case .badChecksum: "the INN's check digits do not match: probably a typo"
        }
    }
}

/// A tax registration reason code (КПП): 9 characters, `NNNNPPNNN`, where the two middle ones may be
/// digits or Latin capitals. Only organisations have one.
public enum KPP {
    public static func isValid(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count == 9 else { return false }
        for (index, char) in chars.enumerated() {
            let isDigit = char.isASCII && char.isNumber
            let isCapital = char.isASCII && char.isUppercase
            if (4...5).contains(index) ? !(isDigit || isCapital) : !isDigit { return false }
        }
        return true
    }
}
