import Foundation

/// Plan against fact for one dealer or group over a period, with growth and the run-rate forecast.
public struct PlanFulfillment: Sendable, Equatable {
    public var planMinor: Int64
    /// Shipments net of returns in the period.
    public var factMinor: Int64
    /// The same, a year earlier.
    public var yearEarlierMinor: Int64
    /// For the period still running: the fact so far extended to the whole period.
    public var forecastMinor: Int64?

    public init(planMinor: Int64 = 0, factMinor: Int64 = 0, yearEarlierMinor: Int64 = 0, forecastMinor: Int64? = nil) {
        self.planMinor = planMinor
        self.factMinor = factMinor
        self.yearEarlierMinor = yearEarlierMinor
        self.forecastMinor = forecastMinor
    }

    /// Fact as a percentage of plan (nil without a plan), to one decimal.
    public var fulfillmentPercent: Decimal? { Percent.of(factMinor, planMinor) }
    /// The forecast as a percentage of plan.
    public var forecastPercent: Decimal? { forecastMinor.flatMap { Percent.of($0, planMinor) } }
    /// Change against a year earlier, in percent (nil when there was nothing a year earlier).
    public var growthPercent: Decimal? {
        guard yearEarlierMinor > 0 else { return nil }
        return Percent.of(factMinor - yearEarlierMinor, yearEarlierMinor)
    }

    /// The run-rate forecast: fact × days in the period ÷ days elapsed (today included); nil outside
    /// the period or before `minElapsedDays` have passed (a first morning's orders say little).
    public static func forecast(factMinor: Int64, period: PlanPeriod, today: CivilDate, minElapsedDays: Int = 1) -> Int64? {
        guard today >= period.firstDay, today <= period.lastDay else { return nil }
        let elapsed = today.days(since: period.firstDay) + 1
        guard elapsed >= minElapsedDays else { return nil }
        let (product, overflow) = factMinor.multipliedReportingOverflow(by: Int64(period.dayCount))
        guard !overflow else { return nil }
        return product / Int64(elapsed)
    }

    public mutating func add(_ other: PlanFulfillment) {
        planMinor += other.planMinor
        factMinor += other.factMinor
        yearEarlierMinor += other.yearEarlierMinor
        if let forecast = other.forecastMinor { forecastMinor = (forecastMinor ?? 0) + forecast }
    }
}
