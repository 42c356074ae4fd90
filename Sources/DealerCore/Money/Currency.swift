/// An ISO 4217 currency with the number of minor digits its amounts are written with.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    /// The currencies a Russian manufacturer's dealer contracts are written in.
    public static let known: [String: Int] = [
        "RUB": 2, "USD": 2, "EUR": 2, "CNY": 2, "KZT": 2, "BYN": 2, "UZS": 2, "KGS": 2, "AMD": 2, "TRY": 2, "AED": 2,
        "JPY": 0,
    ]

    public static let rub = Currency(validCode: "RUB", minorDigits: 2)

    public init?(code: String) {
        let upper = code.uppercased()
        guard let digits = Self.known[upper] else { return nil }
        self.code = upper
        self.minorDigits = digits
    }

    private init(validCode: String, minorDigits: Int) {
        self.code = validCode
        self.minorDigits = minorDigits
    }

    public var description: String { code }

    /// The ISO 4217 numeric code (ОКВ), as FNS formats write the currency.
    public var numericCode: String {
        [
            "RUB": "643", "USD": "840", "EUR": "978", "CNY": "156", "KZT": "398", "BYN": "933", "UZS": "860", "KGS": "417", "AMD": "051",
            "TRY": "949", "AED": "784", "JPY": "392",
        ][code] ?? "643"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(code: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown currency \(text)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
