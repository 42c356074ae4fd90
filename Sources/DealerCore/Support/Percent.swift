import Foundation

/// Shares as reports show them: exact decimals rounded half up to one place.
public enum Percent {
    /// `part` of `whole` in percent to one decimal place; nil when there is no whole.
    public static func of<N: BinaryInteger>(_ part: N, _ whole: N) -> Decimal? {
        guard whole != 0 else { return nil }
        var exact = Decimal(string: String(part))! * 100 / Decimal(string: String(whole))!
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 1, .plain)
        return rounded
    }
}
