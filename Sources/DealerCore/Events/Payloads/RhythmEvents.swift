import Foundation

/// `rhythm.late` and `rhythm.restored`: a dealer fell behind its shipment rhythm, or caught up.
public struct RhythmChanged: EventPayload {
    public var dealerID: UUID
    public var code: String
    public var status: RhythmAssessment.Status
    public var expectedIntervalDays: Int?
    public var lastShipment: CivilDate?
    public var daysSinceLast: Int?
    public var daysLate: Int
    /// The day it fell behind (`rhythm.restored` only).
    public var behindSince: CivilDate?

    public init(
        dealerID: UUID, code: String, status: RhythmAssessment.Status, expectedIntervalDays: Int?, lastShipment: CivilDate?,
        daysSinceLast: Int?, daysLate: Int, behindSince: CivilDate? = nil
    ) {
        self.dealerID = dealerID
        self.code = code
        self.status = status
        self.expectedIntervalDays = expectedIntervalDays
        self.lastShipment = lastShipment
        self.daysSinceLast = daysSinceLast
        self.daysLate = daysLate
        self.behindSince = behindSince
    }

    public init(dealerID: UUID, code: String, assessment: RhythmAssessment, behindSince: CivilDate? = nil) {
        self.init(
            dealerID: dealerID, code: code, status: assessment.status, expectedIntervalDays: assessment.expectedInterval,
            lastShipment: assessment.lastShipment, daysSinceLast: assessment.daysSinceLast, daysLate: assessment.daysLate,
            behindSince: behindSince)
    }
}

/// `plan.behind`: the month's run-rate forecast fell under the configured share of the plan.
/// Amounts are decimal text in the company's currency.
public struct PlanBehind: EventPayload {
    public var dealerID: UUID
    public var code: String
    /// The month, `2026-11`.
    public var period: String
    public var plan: String
    public var fact: String
    public var forecast: String
    public var forecastPercent: Decimal?
    public var thresholdPercent: Int

    public init(
        dealerID: UUID, code: String, period: String, plan: Money, fact: Money, forecast: Money, forecastPercent: Decimal?,
        thresholdPercent: Int
    ) {
        self.dealerID = dealerID
        self.code = code
        self.period = period
        self.plan = plan.decimalString
        self.fact = fact.decimalString
        self.forecast = forecast.decimalString
        self.forecastPercent = forecastPercent
        self.thresholdPercent = thresholdPercent
    }
}
