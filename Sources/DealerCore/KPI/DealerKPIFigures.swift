import Foundation

/// One dealer's figures for a period, the raw material of every KPI: the store gathers them with set
/// queries, `KPIFacts.compute` turns them into a manager's facts. Amounts in minor units.
public struct DealerKPIFigures: Sendable, Equatable {
    public var dealerID: UUID
    public var managerID: UUID?
    public var serviceSpecialistID: UUID?
    public var status: DealerStatus
    /// Shipments net of returns with a document date in the period.
    public var salesMinor: Int64 = 0
    /// The same a year earlier.
    public var salesYearEarlierMinor: Int64 = 0
    public var planMinor: Int64 = 0
    /// Payments with a document date in the period (positive).
    public var paymentsMinor: Int64 = 0
    /// The balance on the eve of the period.
    public var balanceAtStartMinor: Int64 = 0
    /// The balance at the period's end, or today while it runs.
    public var balanceAtEndMinor: Int64 = 0
    /// The part of it past due on that day (FIFO, as the scan allocates).
    public var overdueAtEndMinor: Int64 = 0
    /// The credit limit in force (nil: none).
    public var limitMinor: Int64?
    /// The first accredited decision: its day (company time) and whether an override made it.
    public var firstAccreditation: (day: CivilDate, overridden: Bool)?
    /// The rhythm status as last checked.
    public var rhythm: RhythmAssessment.Status?
    /// Current acts for periods ending in the period, and how many of them were made on time.
    public var acts = 0
    public var actsOnTime = 0

    public init(dealerID: UUID, managerID: UUID?, serviceSpecialistID: UUID?, status: DealerStatus) {
        self.dealerID = dealerID
        self.managerID = managerID
        self.serviceSpecialistID = serviceSpecialistID
        self.status = status
    }

    public static func == (lhs: DealerKPIFigures, rhs: DealerKPIFigures) -> Bool {
        lhs.dealerID == rhs.dealerID && lhs.managerID == rhs.managerID && lhs.serviceSpecialistID == rhs.serviceSpecialistID
            && lhs.status == rhs.status && lhs.salesMinor == rhs.salesMinor && lhs.salesYearEarlierMinor == rhs.salesYearEarlierMinor
            && lhs.planMinor == rhs.planMinor && lhs.paymentsMinor == rhs.paymentsMinor
            && lhs.balanceAtStartMinor == rhs.balanceAtStartMinor && lhs.balanceAtEndMinor == rhs.balanceAtEndMinor
            && lhs.overdueAtEndMinor == rhs.overdueAtEndMinor && lhs.limitMinor == rhs.limitMinor
            && lhs.firstAccreditation?.day == rhs.firstAccreditation?.day
            && lhs.firstAccreditation?.overridden == rhs.firstAccreditation?.overridden && lhs.rhythm == rhs.rhythm
            && lhs.acts == rhs.acts && lhs.actsOnTime == rhs.actsOnTime
    }
}
