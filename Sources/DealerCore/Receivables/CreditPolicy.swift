import Foundation

/// The terms a dealer buys on: how much it may owe and for how long.
public struct CreditPolicy: Sendable, Equatable {
    /// The contract currency: every ledger entry of the dealer is in it.
    public var limit: Money
    public var paymentTermDays: Int
    /// Days after the due date before a debt counts against the dealer.
    public var graceDays: Int
    /// Overdue beyond grace that is still tolerated before shipments stop.
    public var allowedOverdueDays: Int
    /// Overdue below this is ignored: a few roubles left on an invoice must not block a dealer.
    public var minimumOverdue: Money
    /// Share of the limit (percent) at which a warning is raised.
    public var warningPercent: Int
    /// Block shipments over the limit or overdue (true), or only warn (false).
    public var hardBlock: Bool
    /// Set when these are the default terms of the dealer's segment (from config), not its own.
    public var segment: String?

    public init(
        limit: Money, paymentTermDays: Int = 30, graceDays: Int = 0, allowedOverdueDays: Int = 0, minimumOverdue: Money? = nil,
        warningPercent: Int = 80, hardBlock: Bool = true, segment: String? = nil
    ) {
        self.segment = segment
        self.limit = limit
        self.paymentTermDays = paymentTermDays
        self.graceDays = graceDays
        self.allowedOverdueDays = allowedOverdueDays
        self.minimumOverdue = minimumOverdue ?? .zero(limit.currency)
        self.warningPercent = warningPercent
        self.hardBlock = hardBlock
    }

    public var currency: Currency { limit.currency }
}

/// What a client sends to set a policy; every field is required but the defaults' ones.
public struct CreditPolicyDraft: Sendable, Equatable {
    public var limit: String?
    public var currency: String?
    public var paymentTermDays: Int?
    public var graceDays: Int?
    public var allowedOverdueDays: Int?
    public var minimumOverdue: String?
    public var warningPercent: Int?
    public var hardBlock: Bool?
    public var reason: String?

    public init(
        limit: String? = nil, currency: String? = nil, paymentTermDays: Int? = nil, graceDays: Int? = nil,
        allowedOverdueDays: Int? = nil, minimumOverdue: String? = nil, warningPercent: Int? = nil, hardBlock: Bool? = nil,
        reason: String? = nil
    ) {
        self.limit = limit
        self.currency = currency
        self.paymentTermDays = paymentTermDays
        self.graceDays = graceDays
        self.allowedOverdueDays = allowedOverdueDays
        self.minimumOverdue = minimumOverdue
        self.warningPercent = warningPercent
        self.hardBlock = hardBlock
        self.reason = reason
    }

    /// The policy, starting from `base` (the current one or the segment's default) for what is absent.
    public func validated(base: CreditPolicy) throws(ValidationError) -> (CreditPolicy, reason: String) {
        var issues = ValidationCollector()
        var currency = base.currency
        if let code = self.currency?.trimmedNonEmpty {
            if let parsed = Currency(code: code) { currency = parsed } else { issues.add("currency", "not a currency dealerd knows (e.g. RUB)") }
        }
        func money(_ text: String?, _ field: String, default value: Money) -> Money {
            guard let text = text?.trimmedNonEmpty else { return Money(minorUnits: value.minorUnits, currency: currency) }
            do {
                let parsed = try Money(parsing: text, currency: currency)
                if parsed.isNegative { issues.add(field, "not negative") }
                return parsed
            } catch {
                issues.add(field, error.description)
                return value
            }
        }
        let limit = money(limit, "limit", default: base.limit)
        let minimum = money(minimumOverdue, "minimum_overdue", default: base.minimumOverdue)
        func days(_ value: Int?, _ field: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
            guard let value else { return fallback }
            if !range.contains(value) { issues.add(field, "\(range.lowerBound)…\(range.upperBound) days") }
            return value
        }
        let term = days(paymentTermDays, "payment_term_days", default: base.paymentTermDays, range: 0...3650)
        let grace = days(graceDays, "grace_days", default: base.graceDays, range: 0...365)
        let allowed = days(allowedOverdueDays, "allowed_overdue_days", default: base.allowedOverdueDays, range: 0...3650)
        let warning = warningPercent ?? base.warningPercent
        if !(1...100).contains(warning) { issues.add("warning_percent", "1…100") }
        let reason = self.reason?.trimmedNonEmpty
        if reason == nil { issues.add("reason", "required: why the terms change (it is audited)") }
        try issues.check()
        guard let reason else { throw issues.unreachable("reason") }
        return (
            CreditPolicy(
                limit: limit, paymentTermDays: term, graceDays: grace, allowedOverdueDays: allowed, minimumOverdue: minimum,
                warningPercent: warning, hardBlock: hardBlock ?? base.hardBlock),
            reason
        )
    }
}
