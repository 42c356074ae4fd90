import Foundation

/// A debt document with what is still unpaid of it after FIFO allocation.
public struct OpenDocument: Sendable, Equatable {
    public var externalID: String
    public var kind: LedgerEntryKind
    public var documentNumber: String
    public var documentDate: CivilDate
    public var dueDate: CivilDate
    public var amount: Int64
    public var open: Int64
    /// Days past the due date on the position's date (0 while not yet due).
    public var daysOverdue: Int
}

/// Overdue debt by how long it is past due.
public struct AgeingBuckets: Sendable, Equatable {
    public var current: Int64 = 0
    public var days1to30: Int64 = 0
    public var days31to60: Int64 = 0
    public var days61to90: Int64 = 0
    public var over90: Int64 = 0

    public init() {}

    public var overdue: Int64 { days1to30.saturating(adding: days31to60).saturating(adding: days61to90).saturating(adding: over90) }
    /// Every open debt, due or not.
    public var total: Int64 { current.saturating(adding: overdue) }

    /// Files an open part `daysPastDue` days past its due date (0: not yet due): current, 1–30,
    /// 31–60, 61–90 or over 90 days.
    public mutating func add(_ open: Int64, daysPastDue: Int) {
        switch daysPastDue {
        case ...0: current = current.saturating(adding: open)
        case 1...30: days1to30 = days1to30.saturating(adding: open)
        case 31...60: days31to60 = days31to60.saturating(adding: open)
        case 61...90: days61to90 = days61to90.saturating(adding: open)
        default: over90 = over90.saturating(adding: open)
        }
    }

    /// The buckets of open parts by due date, as of `asOf`.
    public static func of(_ parts: [(due: CivilDate, open: Int64)], asOf: CivilDate) -> AgeingBuckets {
        var buckets = AgeingBuckets()
        for part in parts { buckets.add(part.open, daysPastDue: asOf.days(since: part.due)) }
        return buckets
    }

    public mutating func add(_ other: AgeingBuckets) {
        current = current.saturating(adding: other.current)
        days1to30 = days1to30.saturating(adding: other.days1to30)
        days31to60 = days31to60.saturating(adding: other.days31to60)
        days61to90 = days61to90.saturating(adding: other.days61to90)
        over90 = over90.saturating(adding: other.over90)
    }
}

/// A dealer's receivables on a date: the balance and what of it is overdue, payments and credits
/// allocated to the oldest debts first (FIFO by due date).
public struct ReceivablesPosition: Sendable, Equatable {
    public var asOf: CivilDate
    /// Debt minus credits; negative when the dealer has paid in advance.
    public var balance: Int64
    public var overdue: Int64
    public var oldestOverdueDueDate: CivilDate?
    public var lastMovement: CivilDate?
    public var openDocuments: [OpenDocument]
    public var ageing: AgeingBuckets

    public var maxDaysOverdue: Int { openDocuments.map(\.daysOverdue).max() ?? 0 }

    public static func compute(_ entries: [LedgerEntry], asOf: CivilDate) -> ReceivablesPosition {
        var credits: Int64 = 0
        var debts: [LedgerEntry] = []
        var balance: Int64 = 0
        for entry in entries {
            balance = balance.saturating(adding: entry.debtEffect)
            if entry.debtEffect > 0 { debts.append(entry) } else { credits = credits.saturating(subtracting: entry.debtEffect) }
        }
        debts.sort {
            ($0.dueDate ?? $0.documentDate, $0.documentDate, $0.externalID) < ($1.dueDate ?? $1.documentDate, $1.documentDate, $1.externalID)
        }
        var remainingCredit = credits
        var open: [OpenDocument] = []
        var ageing = AgeingBuckets()
        for debt in debts {
            let amount = debt.debtEffect
            let paid = min(amount, remainingCredit)
            remainingCredit -= paid  // paid ≤ remainingCredit
            let unpaid = amount - paid  // paid ≤ amount
            guard unpaid > 0, let due = debt.dueDate else { continue }
            let late = max(0, asOf.days(since: due))
            open.append(
                OpenDocument(
                    externalID: debt.externalID, kind: debt.kind, documentNumber: debt.documentNumber, documentDate: debt.documentDate,
                    dueDate: due, amount: amount, open: unpaid, daysOverdue: late))
            ageing.add(unpaid, daysPastDue: late)
        }
        return ReceivablesPosition(
            asOf: asOf, balance: balance, overdue: ageing.overdue,
            oldestOverdueDueDate: open.first { $0.daysOverdue > 0 }?.dueDate,
            lastMovement: entries.map(\.documentDate).max(), openDocuments: open, ageing: ageing)
    }
}

extension ReceivablesPosition {
    /// The open parts past due on `today` from a dealer's newest debts (newest first in allocation
    /// order) and its balance: after FIFO, what is open is the newest debts that add up to the
    /// balance, the oldest of them in part. `covered` is false when these debts do not reach the
    /// balance, so older ones would be open too and the answer is incomplete.
    public static func overdueParts(
        balance: Int64, newestDebtsFirst debts: [(due: CivilDate, amount: Int64)], today: CivilDate
    ) -> (parts: [(due: CivilDate, open: Int64)], covered: Bool) {
        var remaining = balance
        var byDue: [CivilDate: Int64] = [:]
        for debt in debts where remaining > 0 {
            let open = min(debt.amount, remaining)
            remaining -= open  // open ≤ remaining
            if debt.due < today { byDue[debt.due, default: 0] = byDue[debt.due, default: 0].saturating(adding: open) }
        }
        return (byDue.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, remaining <= 0)
    }
}
