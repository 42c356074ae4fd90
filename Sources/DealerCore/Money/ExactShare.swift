import Foundation

/// Shares and sums of minor units that cannot overflow: products are taken in 128 bits, so a
/// balance of any size compares with a share of a limit exactly, and a sum that no Int64 holds is
/// reported instead of wrapping. The one place credit state, credit checks and reports compute a
/// share of a limit.
public enum ExactShare {
    /// Whether `part` is at least `percent` % of `whole`: `part × 100 ≥ whole × percent`, exactly.
    public static func reaches(_ part: Int64, percent: Int, of whole: Int64) -> Bool {
        Int128(part) * 100 >= Int128(whole) * Int128(percent)
    }

    /// `part` as a whole percentage of `whole`, rounded toward zero (`utilization_percent`); nil when
    /// there is no positive whole.
    public static func percent(_ part: Int64, of whole: Int64) -> Int? {
        guard whole > 0 else { return nil }
        // |part × 100 / whole| ≤ |part| × 100 < 2^71, far inside Int128; the result then fits Int
        // unless part is absurd, when it is held at the end.
        let value = Int128(part) * 100 / Int128(whole)
        return Int(clamping: value)
    }

    /// The exact sum, or nil when it does not fit in Int64.
    public static func sum(_ values: Int64...) -> Int64? {
        sum(values)
    }

    public static func sum(_ values: some Sequence<Int64>) -> Int64? {
        var total: Int64 = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// `a − b`, or nil when it does not fit in Int64.
    public static func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : value
    }
}

extension Int64 {
    /// The sum held at Int64's ends: for running totals over stored rows, where SQL has already
    /// refused any sum that does not fit (so the hold is only ever reached by a row dealerd did not write).
    public func saturating(adding other: Int64) -> Int64 {
        let (value, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : value
    }

    public func saturating(multiplying other: Int64) -> Int64 {
        let (value, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : value
    }

    public func saturating(subtracting other: Int64) -> Int64 {
        let (value, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : value
    }
}
