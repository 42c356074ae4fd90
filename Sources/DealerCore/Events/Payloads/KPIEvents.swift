import Foundation

/// `kpi.period_closed`: a period's scorecards were frozen (by the `kpi-close` job or by hand).
public struct PeriodClosed: EventPayload {
    public var period: String
    public var managers: Int
    /// First versions written.
    public var created: Int
    /// New versions of scorecards whose result changed after an earlier close.
    public var revised: Int
    public var unchanged: Int
    /// The bonuses of the latest versions, decimal roubles.
    public var bonusTotal: String
    public var closedBy: String

    public init(period: String, managers: Int, created: Int, revised: Int, unchanged: Int, bonusTotal: Money, closedBy: String) {
        self.period = period
        self.managers = managers
        self.created = created
        self.revised = revised
        self.unchanged = unchanged
        self.bonusTotal = bonusTotal.decimalString
        self.closedBy = closedBy
    }
}
