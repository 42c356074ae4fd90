import Foundation

/// How well a returning dealer has paid: replays the ledger first in, first out — payments and
/// returns settle debts in allocation order (due date, document date, document) — and finds, for
/// every debt still open at some point of the window, how many days it stayed overdue.
public enum OverdueHistory {
    public struct Debt: Sendable, Equatable {
        public var due: CivilDate
        public var date: CivilDate
        public var document: String
        public var amountMinor: Int64

        public init(due: CivilDate, date: CivilDate, document: String, amountMinor: Int64) {
            self.due = due
            self.date = date
            self.document = document
            self.amountMinor = amountMinor
        }
    }

    public struct Credit: Sendable, Equatable {
        public var date: CivilDate
        public var amountMinor: Int64

        public init(date: CivilDate, amountMinor: Int64) {
            self.date = date
            self.amountMinor = amountMinor
        }
    }

    /// The most days any debt was overdue among those open on or after `windowStart`, up to
    /// `today` (a debt still unpaid counts until today); nil when the dealer never owed anything.
    public static func maxOverdueDays(debts: [Debt], credits: [Credit], windowStart: CivilDate, today: CivilDate) -> Int? {
        let ordered = debts.filter { $0.amountMinor > 0 }.sorted { ($0.due, $0.date, $0.document) < ($1.due, $1.date, $1.document) }
        guard !ordered.isEmpty else { return nil }
        let payments = credits.filter { $0.date <= today && $0.amountMinor > 0 }.sorted { $0.date < $1.date }
        var paid: Int64 = 0
        var next = payments.startIndex
        var owed: Int64 = 0
        var worst = 0
        for debt in ordered {
            owed += debt.amountMinor
            // Payments until this debt is covered; the one that covers it is the day it was settled.
            while paid < owed && next < payments.endIndex {
                paid += payments[next].amountMinor
                next += 1
            }
            let settled: CivilDate =
                paid >= owed ? Swift.max(payments[payments.index(before: next)].date, debt.date) : today
            guard settled >= windowStart else { continue }
            worst = Swift.max(worst, Swift.min(settled, today).days(since: debt.due))
        }
        return worst
    }
}
