import Foundation

/// The new-clients manager's KPI: how well the dealers accredited in a period matched the profile,
/// and how applicants of the period went through to accreditation.
public enum ProfileCompliance {
    /// A dealer the report looks at, with the group it counts in (its manager, region …; nil: none).
    public struct Dealer: Sendable {
        public var id: UUID
        public var group: String?
        /// When it became an applicant (nil: it never applied through dealerd).
        public var appliedOn: CivilDate?

        public init(id: UUID, group: String?, appliedOn: CivilDate?) {
            self.id = id
            self.group = group
            self.appliedOn = appliedOn
        }
    }

    /// An accreditation decision, oldest first.
    public struct Decision: Sendable {
        public var dealerID: UUID
        public var decision: AccreditationEvaluation.Decision
        /// The profile's verdict, before any override.
        public var evaluatedDecision: AccreditationEvaluation.Decision
        public var overridden: Bool
        public var decidedOn: CivilDate

        public init(
            dealerID: UUID, decision: AccreditationEvaluation.Decision, evaluatedDecision: AccreditationEvaluation.Decision,
            overridden: Bool, decidedOn: CivilDate
        ) {
            self.dealerID = dealerID
            self.decision = decision
            self.evaluatedDecision = evaluatedDecision
            self.overridden = overridden
            self.decidedOn = decidedOn
        }
    }

    public struct Figures: Sendable, Equatable {
        /// Dealers accredited in the period (each once, by its first accreditation in it).
        public var accredited = 0
        /// Of those, accredited because they met the profile, with no override.
        public var metProfile = 0
        /// Of those, accredited by the head of sales' override.
        public var overridden = 0
        /// Dealers that applied in the period …
        public var applied = 0
        /// … and of them: accredited since, last turned down, or still waiting.
        public var appliedAccredited = 0
        public var appliedRejected = 0
        public var appliedPending = 0
        /// Days from application to accreditation, for those accredited.
        public var daysToAccreditation: [Int] = []

        public init() {}

        public var compliancePercent: Decimal? { Percent.of(metProfile, accredited) }
        public var conversionPercent: Decimal? { Percent.of(appliedAccredited, applied) }

        /// The median of `daysToAccreditation` (the mean of the middle two for an even count).
        public var medianDaysToAccreditation: Decimal? {
            let sorted = daysToAccreditation.sorted()
            guard !sorted.isEmpty else { return nil }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? Decimal(sorted[middle]) : Decimal(sorted[middle - 1] + sorted[middle]) / 2
        }

        mutating func add(_ other: Figures) {
            accredited += other.accredited
            metProfile += other.metProfile
            overridden += other.overridden
            applied += other.applied
            appliedAccredited += other.appliedAccredited
            appliedRejected += other.appliedRejected
            appliedPending += other.appliedPending
            daysToAccreditation += other.daysToAccreditation
        }
    }

    /// Figures per group for the period `from`…`to` (both days included), and the total.
    public static func figures(
        dealers: [Dealer], decisions: [Decision], from: CivilDate, to: CivilDate
    ) -> (groups: [String?: Figures], total: Figures) {
        let byDealer = Dictionary(grouping: decisions, by: \.dealerID)
        var groups: [String?: Figures] = [:]
        for dealer in dealers {
            var figures = Figures()
            let own = byDealer[dealer.id] ?? []
            if let first = own.first(where: { $0.decision == .accredited && (from...to).contains($0.decidedOn) }) {
                figures.accredited = 1
                if first.overridden {
                    figures.overridden = 1
                } else if first.evaluatedDecision == .accredited {
                    figures.metProfile = 1
                }
            }
            if let applied = dealer.appliedOn, (from...to).contains(applied) {
                figures.applied = 1
                let since = own.filter { $0.decidedOn >= applied }
                if let accredited = since.first(where: { $0.decision == .accredited }) {
                    figures.appliedAccredited = 1
                    figures.daysToAccreditation = [accredited.decidedOn.days(since: applied)]
                } else if since.last?.decision == .rejected {
                    figures.appliedRejected = 1
                } else {
                    figures.appliedPending = 1
                }
            }
            groups[dealer.group, default: Figures()].add(figures)
        }
        var total = Figures()
        for figures in groups.values { total.add(figures) }
        return (groups, total)
    }
}
