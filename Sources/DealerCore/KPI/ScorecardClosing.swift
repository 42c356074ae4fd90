import Foundation

/// A closed period's scorecard, frozen: what the bonus is paid on. A later close that finds another
/// result (a late ledger entry, a corrected target) adds a new version marked `revised`; the earlier
/// ones stay as they were.
public struct ClosedScorecard: Sendable, Equatable {
    public var id: UUID
    public var period: PlanPeriod
    public var managerID: UUID
    public var version: Int
    /// A version after the first: the period's result changed after it was closed.
    public var revised: Bool
    public var snapshot: ScorecardSnapshot
    public var closedAt: Date
    public var closedBy: String

    public init(
        id: UUID, period: PlanPeriod, managerID: UUID, version: Int, revised: Bool, snapshot: ScorecardSnapshot, closedAt: Date,
        closedBy: String
    ) {
        self.id = id
        self.period = period
        self.managerID = managerID
        self.version = version
        self.revised = revised
        self.snapshot = snapshot
        self.closedAt = closedAt
        self.closedBy = closedBy
    }
}

/// What closing a period does, decided from the scorecards as they are and the latest closed
/// versions: a first version for a manager not closed yet, a revised one where the result changed,
/// nothing where it is the same.
public enum ScorecardClosing {
    public struct Plan: Sendable, Equatable {
        public var records: [ClosedScorecard]
        public var unchanged: Int
    }

    public static func plan(
        period: PlanPeriod, cards: [ManagerScorecard], latest: [UUID: ClosedScorecard], at now: Date, by actor: String
    ) -> Plan {
        var records: [ClosedScorecard] = []
        var unchanged = 0
        for card in cards {
            let snapshot = ScorecardSnapshot(card, rank: nil)
            let previous = latest[card.manager.id]
            if previous?.snapshot == snapshot {
                unchanged += 1
                continue
            }
            let version = (previous?.version ?? 0) + 1
            records.append(
                ClosedScorecard(
                    id: UUID(), period: period, managerID: card.manager.id, version: version, revised: version > 1, snapshot: snapshot,
                    closedAt: now, closedBy: actor))
        }
        return Plan(records: records, unchanged: unchanged)
    }
}
