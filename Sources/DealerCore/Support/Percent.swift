import Foundation

/// Shares as reports show them: exact decimals rounded half up to one place.
public enum Percent {
    /// `part` of `whole` in percent to one decimal place; nil when there is no whole.
    public static func of<N: BinaryInteger>(_ part: N, _ whole: N) -> Decimal? {
        guard whole != 0 else { return nil }
        // Through the decimal text: exact for every integer width (Decimal(Int64) would go by Double).
        guard let numerator = Decimal(string: String(part)), let denominator = Decimal(string: String(whole)) else { return nil }
        var exact = numerator * 100 / denominator
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 1, .plain)
        return rounded
    }

    /// The same for exact decimals (amounts in roubles, sums too large for an integer).
    public static func of(_ part: Decimal, _ whole: Decimal) -> Decimal? {
        guard whole != 0 else { return nil }
        return rounded(part * 100 / whole, places: 1)
    }

    /// Half up to `places` decimals.
    public static func rounded(_ value: Decimal, places: Int) -> Decimal {
        var exact = value
        var result = Decimal()
        NSDecimalRound(&result, &exact, places, .plain)
        return result
    }
}
