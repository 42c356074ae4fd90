import Foundation

/// Whether a prospective shipment may go: `allow`, `warn` (go, but someone should look) or `block`.
public enum CreditDecision: String, Sendable, Codable, Comparable {
    case allow
    case warn
    case block

    private var rank: Int {
        switch self {
        case .allow: 0
        case .warn: 1
        case .block: 2
        }
    }

    public static func < (lhs: CreditDecision, rhs: CreditDecision) -> Bool { lhs.rank < rhs.rank }
}

/// One reason behind a decision, in words and as a code a program can branch on.
public struct CreditReason: Sendable, Equatable, Codable {
    public var code: String
    public var decision: CreditDecision
    public var message: String
}

/// The answer of a credit check with the figures it was made from.
public struct CreditCheck: Sendable, Equatable {
    public var decision: CreditDecision
    public var reasons: [CreditReason]
    public var balance: Money
    public var openOrders: Money
    public var requested: Money
    /// Balance + open orders + the requested amount.
    public var exposure: Money
    public var limit: Money?
    /// Limit − exposure (negative: by how much the limit would be exceeded).
    public var availableAfter: Money?
    public var overdue: Money
    public var daysOverdue: Int

    /// Evaluates a shipment of `requested` for a dealer in `status` with `policy` (nil: none set)
    /// and its current `position`.
    public static func evaluate(
        requested: Money, openOrders: Money, status: DealerStatus, policy: CreditPolicy?, position: ReceivablesPosition
    ) throws(Money.Problem) -> CreditCheck {
        try evaluate(
            requested: requested, openOrders: openOrders, status: status, policy: policy,
            figures: position.figures(graceDays: policy?.graceDays ?? 0))
    }

    /// The same from the figures the balance projection keeps, so a check reads no ledger entry.
    /// An exposure (or headroom) that no amount can hold is `tooLarge`: refused, never wrapped.
    public static func evaluate(
        requested: Money, openOrders: Money, status: DealerStatus, policy: CreditPolicy?, figures: CreditFigures
    ) throws(Money.Problem) -> CreditCheck {
        let currency = requested.currency
        func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: currency) }
        var reasons: [CreditReason] = []
        guard let exposure = ExactShare.sum(figures.balance, openOrders.minorUnits, requested.minorUnits) else { throw .tooLarge }
        if status != .accredited {
            reasons.append(
                CreditReason(code: "dealer_not_accredited", decision: .block, message: "the dealer is \(status.rawValue), not accredited"))
        }
        var available: Money?
        if let policy {
            let onBreach: CreditDecision = policy.hardBlock ? .block : .warn
            guard let headroom = ExactShare.difference(policy.limit.minorUnits, exposure) else { throw .tooLarge }
            available = money(headroom)
            if exposure > policy.limit.minorUnits {
                reasons.append(
                    CreditReason(
                        code: "limit_exceeded", decision: onBreach,
                        message:
                            "would exceed the limit of \(policy.limit) by \(money(ExactShare.difference(exposure, policy.limit.minorUnits) ?? .max))")
                )
            } else if ExactShare.reaches(exposure, percent: policy.warningPercent, of: policy.limit.minorUnits) {
                reasons.append(
                    CreditReason(
                        code: "limit_warning", decision: .warn,
                        message: "would use \(percent(exposure, of: policy.limit.minorUnits)) % of the limit (warning at \(policy.warningPercent) %)")
                )
            }
            let counted = figures.overdueBeyondGrace
            let worst = figures.daysBeyondGrace
            if counted > 0 && counted >= policy.minimumOverdue.minorUnits && worst > policy.allowedOverdueDays {
                reasons.append(
                    CreditReason(
                        code: "overdue", decision: onBreach,
                        message: "\(money(counted)) overdue, \(worst) days beyond the grace period (allowed \(policy.allowedOverdueDays))"))
            }
        } else {
            reasons.append(CreditReason(code: "no_policy", decision: .warn, message: "no credit policy is set for the dealer"))
        }
        return CreditCheck(
            decision: reasons.map(\.decision).max() ?? .allow, reasons: reasons, balance: money(figures.balance), openOrders: openOrders,
            requested: requested, exposure: money(exposure), limit: policy?.limit, availableAfter: available,
            overdue: money(figures.overdue), daysOverdue: figures.daysOverdue)
    }

    private static func percent(_ part: Int64, of whole: Int64) -> String {
        ExactShare.percent(part, of: whole).map(String.init) ?? "∞"
    }
}

/// What a credit check needs of a dealer's position: kept in the balance projection.
public struct CreditFigures: Sendable, Equatable {
    public var balance: Int64
    /// Every debt past its due date.
    public var overdue: Int64
    public var daysOverdue: Int
    /// Debt past its due date by more than the policy's grace days.
    public var overdueBeyondGrace: Int64
    /// The oldest such debt's days past due, minus the grace days (0 when none).
    public var daysBeyondGrace: Int

    public init(balance: Int64, overdue: Int64, daysOverdue: Int, overdueBeyondGrace: Int64, daysBeyondGrace: Int) {
        self.balance = balance
        self.overdue = overdue
        self.daysOverdue = daysOverdue
        self.overdueBeyondGrace = overdueBeyondGrace
        self.daysBeyondGrace = daysBeyondGrace
    }
}

extension CreditFigures {
    /// The figures from the open parts of a dealer's debts past due, as the set-based ledger queries
    /// give them (one pair per due date): the same numbers `ReceivablesPosition.figures` makes from
    /// the entries themselves.
    public init(balance: Int64, overdueDebts: [(due: CivilDate, open: Int64)], today: CivilDate, graceDays: Int) {
        let late = overdueDebts.map { (days: today.days(since: $0.due), open: $0.open) }
        let counted = late.filter { $0.days > graceDays }
        self.init(
            balance: balance, overdue: ExactShare.sum(late.map(\.open)) ?? .max, daysOverdue: late.map(\.days).max() ?? 0,
            overdueBeyondGrace: ExactShare.sum(counted.map(\.open)) ?? .max,
            daysBeyondGrace: counted.isEmpty ? 0 : (counted.map(\.days).max() ?? 0) - graceDays)
    }
}

extension ReceivablesPosition {
    public func figures(graceDays: Int) -> CreditFigures {
        let counted = openDocuments.filter { $0.daysOverdue > graceDays }
        return CreditFigures(
            balance: balance, overdue: overdue, daysOverdue: maxDaysOverdue,
            overdueBeyondGrace: ExactShare.sum(counted.map(\.open)) ?? .max,
            daysBeyondGrace: counted.isEmpty ? 0 : (counted.map(\.daysOverdue).max() ?? 0) - graceDays)
    }
}
