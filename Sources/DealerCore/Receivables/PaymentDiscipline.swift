import Foundation

/// How a dealer pays, over a span and month by month: days sales outstanding, and how many days
/// after their due dates its payments settled the debts.
///
/// Which payment settles which debt is the receivables position's FIFO (`ReceivablesPosition`):
/// credits, oldest first, go to the debts ordered by due date. So the days late here are those of
/// the same debts the position shows as open or overdue, and an advance payment settles the next
/// debts on time.
public struct PaymentDiscipline: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
        public var from: CivilDate
        public var to: CivilDate
        /// Shipments and invoices net of returns dated in the span: the sales DSO divides by.
        public var salesMinor: Int64 = 0
        /// Payments dated in the span.
        public var paidMinor: Int64 = 0
        /// The balance at the span's end (negative: paid in advance).
        public var balanceAtEndMinor: Int64 = 0
        /// The receivables at the end ÷ the span's sales × its days, in days to one decimal (half
        /// up); nil without sales.
        public var dsoDays: Decimal?
        /// Of the span's payments that settled a debt, the part that came on or before the due
        /// date, in % to one decimal; nil when none settled one.
        public var paidOnTimePercent: Decimal?
        /// Days after the due date, weighted by the amount each payment settled, to one decimal
        /// (on time counts as 0); nil when no payment settled a debt.
        public var averageDaysLate: Decimal?
        /// The most days late of any payment in the span (0 when all came on time).
        public var maxDaysLate = 0

        public var days: Int { to.days(since: from) + 1 }
    }

    public var total: Figures
    /// One per calendar month the span touches, cut to the span.
    public var months: [Figures]

    /// The longest span one report covers, in months: a trend of ten years by month is no report.
    public static let maxMonths = 36

    /// The span when none is asked for: the last twelve months, this one so far included.
    public static func defaultSpan(today: CivilDate) -> (from: CivilDate, to: CivilDate) {
        (PlanPeriod.month(of: today).firstDay.adding(months: -11), today)
    }

    public enum SpanProblem: Sendable, Equatable {
        /// `to` is before `from`.
        case backwards
        /// It touches more than `maxMonths` calendar months.
        case tooLong
    }

    public static func problem(from: CivilDate, to: CivilDate) -> SpanProblem? {
        if to < from { return .backwards }
        let months = (to.year - from.year) * 12 + to.month - from.month + 1
        return months > maxMonths ? .tooLong : nil
    }

    public static func compute(_ entries: [LedgerEntry], from: CivilDate, to: CivilDate) -> PaymentDiscipline {
        let settled = settlements(entries)
        var months: [Figures] = []
        var monthStart = PlanPeriod.month(of: from).firstDay
        while monthStart <= to {
            let next = monthStart.adding(months: 1)
            months.append(figures(entries, settled, from: max(from, monthStart), to: min(to, next.adding(days: -1))))
            // At the end of the readable years the month is held: stop there rather than loop.
            guard next > monthStart else { break }
            monthStart = next
        }
        return PaymentDiscipline(total: figures(entries, settled, from: from, to: to), months: months)
    }

    /// A part of a payment that settled a part of a debt.
    struct Settlement {
        var paidOn: CivilDate
        var due: CivilDate
        var amount: Int64
        var daysLate: Int { max(0, paidOn.days(since: due)) }
    }

    /// The FIFO allocation, each piece with its payment's date. Returns and negative adjustments
    /// take their share of the debts too, but are no payments: their pieces are left out.
    static func settlements(_ entries: [LedgerEntry]) -> [Settlement] {
        let debts = entries.filter { $0.debtEffect > 0 }.sorted {
            ($0.dueDate ?? $0.documentDate, $0.documentDate, $0.externalID) < ($1.dueDate ?? $1.documentDate, $1.documentDate, $1.externalID)
        }
        let credits = entries.filter { $0.debtEffect < 0 }.sorted { ($0.documentDate, $0.externalID) < ($1.documentDate, $1.externalID) }
        var pieces: [Settlement] = []
        var debtIndex = 0
        var debtLeft = debts.first?.debtEffect ?? 0
        for credit in credits {
            // A stored amount is at most Int64.max in magnitude (the ledger refuses more), so the negation holds.
            var creditLeft = credit.debtEffect == .min ? .max : -credit.debtEffect
            while creditLeft > 0, debtIndex < debts.count {
                let piece = min(creditLeft, debtLeft)
                let debt = debts[debtIndex]
                if credit.kind == .payment {
                    pieces.append(Settlement(paidOn: credit.documentDate, due: debt.dueDate ?? debt.documentDate, amount: piece))
                }
                creditLeft -= piece  // piece ≤ creditLeft
                debtLeft -= piece  // piece ≤ debtLeft
                if debtLeft == 0 {
                    debtIndex += 1
                    debtLeft = debtIndex < debts.count ? debts[debtIndex].debtEffect : 0
                }
            }
        }
        return pieces
    }

    static func figures(_ entries: [LedgerEntry], _ settled: [Settlement], from: CivilDate, to: CivilDate) -> Figures {
        var figures = Figures(from: from, to: to)
        for entry in entries where entry.documentDate <= to {
            figures.balanceAtEndMinor = figures.balanceAtEndMinor.saturating(adding: entry.debtEffect)
            guard entry.documentDate >= from else { continue }
            switch entry.kind {
            case .shipment, .invoice, .return: figures.salesMinor = figures.salesMinor.saturating(adding: entry.debtEffect)
            case .payment: figures.paidMinor = figures.paidMinor.saturating(subtracting: entry.debtEffect)
            case .adjustment: break
            }
        }
        if figures.salesMinor > 0 {
            let receivables = max(0, figures.balanceAtEndMinor)
            figures.dsoDays = ratio(Int128(receivables) * Int128(figures.days), Int128(figures.salesMinor))
        }
        var paid: Int128 = 0
        var onTime: Int128 = 0
        var weightedDays: Int128 = 0
        for piece in settled where piece.paidOn >= from && piece.paidOn <= to {
            paid += Int128(piece.amount)
            weightedDays += Int128(piece.amount) * Int128(piece.daysLate)
            if piece.daysLate == 0 { onTime += Int128(piece.amount) }
            figures.maxDaysLate = max(figures.maxDaysLate, piece.daysLate)
        }
        if paid > 0 {
            figures.paidOnTimePercent = Percent.of(onTime, paid)
            figures.averageDaysLate = ratio(weightedDays, paid)
        }
        return figures
    }

    /// `numerator ÷ denominator` half up to one decimal, through the decimal text (exact for any
    /// width; Decimal(Int64) would go by Double).
    static func ratio(_ numerator: Int128, _ denominator: Int128) -> Decimal? {
        guard denominator != 0, let top = Decimal(string: String(numerator)), let bottom = Decimal(string: String(denominator)) else {
            return nil
        }
        return Percent.rounded(top / bottom, places: 1)
    }
}
