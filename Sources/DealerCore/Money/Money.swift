import Foundation

/// An exact amount of one currency, kept as minor units (kopecks). Never a floating-point number.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// The largest amount accepted from outside, in minor units: 999 999 999 999,99 ₽ (fourteen
    /// digits). A hundred thousand such amounts still add up inside Int64, and a share of one
    /// (`amount × 100`) cannot overflow; sums beyond that are refused as `tooLarge`, never wrapped.
    public static let maximumMinorUnits: Int64 = 99_999_999_999_999

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notANumber(String)
        case tooManyDigits(allowed: Int)
        case tooLarge
        case currencyMismatch(Currency, Currency)

        public var description: String {
            switch self {
            case .notANumber(let text): "\"\(text)\" is not an amount such as 125000.00"
            case .tooManyDigits(let allowed): allowed == 0 ? "whole units only" : "at most \(allowed) digits after the point"
            case .tooLarge: "the amount is too large: at most 14 digits of minor units (999999999999.99 RUB)"
            case .currencyMismatch(let a, let b): "\(a) and \(b) cannot be combined"
            }
        }
    }

    /// Parses a decimal amount: `125000.50`, `-15.5`, `125 000,50` (spaces and a decimal comma, as 1C
    /// and Excel write them). More minor digits than the currency has is an error, not a rounding.
    public init(parsing raw: String, currency: Currency) throws(Problem) {
        var text = raw.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        text = text.replacingOccurrences(of: ",", with: ".")
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text.removeFirst()
        } else if text.hasPrefix("+") {
            text.removeFirst()
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2,
            whole.allSatisfy(\.isASCIIDigit), parts.count == 1 || (parts[1].allSatisfy(\.isASCIIDigit) && !parts[1].isEmpty)
        else { throw .notANumber(raw) }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= currency.minorDigits else { throw .tooManyDigits(allowed: currency.minorDigits) }
        let digits = String(whole) + fraction + String(repeating: "0", count: currency.minorDigits - fraction.count)
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.count <= 18, let value = Int64(trimmed.isEmpty ? "0" : String(trimmed)), value <= Self.maximumMinorUnits else {
            throw .tooLarge
        }
        self.init(minorUnits: negative ? -value : value, currency: currency)
    }

    /// `125000.50`: the form used in JSON and CSV.
    public var decimalString: String {
        let magnitude = minorUnits.magnitude
        let sign = minorUnits < 0 ? "-" : ""
        guard currency.minorDigits > 0 else { return sign + String(magnitude) }
        var scale: UInt64 = 1
        for _ in 0..<currency.minorDigits { scale *= 10 }
        let fraction = String(magnitude % scale)
        return sign + String(magnitude / scale) + "." + String(repeating: "0", count: currency.minorDigits - fraction.count) + fraction
    }

    public var description: String { decimalString + " " + currency.code }

    public var isNegative: Bool { minorUnits < 0 }
    public var isZero: Bool { minorUnits == 0 }

    public func adding(_ other: Money) throws(Problem) -> Money {
        guard other.currency == currency else { throw .currencyMismatch(currency, other.currency) }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .tooLarge }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(Problem) -> Money {
        guard other.currency == currency else { throw .currencyMismatch(currency, other.currency) }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw .tooLarge }
        return Money(minorUnits: difference, currency: currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
