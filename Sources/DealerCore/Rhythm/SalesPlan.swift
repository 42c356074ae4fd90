import Foundation

/// What a dealer is to buy in a month: an amount (and optionally a quantity).
public struct SalesPlan: Sendable, Equatable {
    public var dealerID: UUID
    /// Always a month: quarters and years are sums of months.
    public var period: PlanPeriod
    public var amount: Money
    public var quantity: Decimal?
    public var updatedAt: Date
    public var updatedBy: String

    public init(dealerID: UUID, period: PlanPeriod, amount: Money, quantity: Decimal?, updatedAt: Date, updatedBy: String) {
        self.dealerID = dealerID
        self.period = period
        self.amount = amount
        self.quantity = quantity
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A plan as a client sends it, checked field by field.
public struct SalesPlanDraft: Sendable, Equatable {
    public var amount: String?
    public var quantity: String?

    public init(amount: String?, quantity: String? = nil) {
        self.amount = amount
        self.quantity = quantity
    }

    /// The amount in `currency`, not negative, and the quantity as a decimal when given.
    public func validated(currency: Currency, prefix: String = "") throws(ValidationError) -> (Money, Decimal?) {
        var issues = ValidationCollector()
        var amount: Money?
        if let text = self.amount?.trimmedNonEmpty {
            do {
                let parsed = try Money(parsing: text, currency: currency)
                if parsed.minorUnits < 0 { issues.add(prefix + "amount", "a plan is not negative") } else { amount = parsed }
            } catch {
                issues.add(prefix + "amount", error.description)
            }
        } else {
            issues.add(prefix + "amount", "required, e.g. 1500000.00")
        }
        var quantity: Decimal?
        if let text = self.quantity?.trimmedNonEmpty {
            let normalised = text.filter { !$0.isWhitespace }.replacingOccurrences(of: ",", with: ".")
            if let value = Decimal(string: normalised, locale: Locale(identifier: "en_US_POSIX")), value >= 0,
                normalised.allSatisfy({ $0.isASCIIDigit || $0 == "." })
            {
                quantity = value
            } else {
                issues.add(prefix + "quantity", "a number, not negative")
            }
        }
        try issues.check()
        guard let amount else { throw issues.unreachable(prefix + "amount") }
        return (amount, quantity)
    }
}

extension SalesPlan: Encodable {
    enum CodingKeys: String, CodingKey {
        case period, amount, currency, quantity
        case dealerID = "dealer_id"
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(period.description, forKey: .period)
        try container.encode(amount.decimalString, forKey: .amount)
        try container.encode(amount.currency.code, forKey: .currency)
        try container.encode(quantity.map { "\($0)" }, forKey: .quantity)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(updatedBy, forKey: .updatedBy)
    }
}
