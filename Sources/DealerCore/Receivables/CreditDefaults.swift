/// What a dealer without a policy of its own buys on: the contract currency and payment term every
/// dealer has, and (optionally) a default policy.
public struct CreditDefaults: Sendable, Equatable {
    public var currency: Currency
    public var paymentTermDays: Int

    public init(currency: Currency = .rub, paymentTermDays: Int = 30) {
        self.currency = currency
        self.paymentTermDays = paymentTermDays
    }

    /// The starting point when a policy is set for the first time (limit zero until one is given).
    public var basePolicy: CreditPolicy {
        CreditPolicy(limit: .zero(currency), paymentTermDays: paymentTermDays)
    }
}
