import DealerCore
import DealerStore
import Foundation

/// A dealer's payment discipline as the API serves it (`GET /v1/dealers/{id}/payment-discipline`):
/// amounts as decimal text in `currency`, days and percents as numbers to one decimal, null where
/// there is nothing to divide by.
struct PaymentDisciplineBody: Encodable {
    struct Figures: Encodable {
        /// `2026-11` for a month of the trend; null on the total.
        var month: String?
        var from: CivilDate
        var to: CivilDate
        var days: Int
        var sales: String
        var paid: String
        var balanceAtEnd: String
        var dsoDays: Decimal?
        var paidOnTimePercent: Decimal?
        var averageDaysLate: Decimal?
        var maxDaysLate: Int
    }

    var dealerID: UUID
    var code: String
    var name: String
    var currency: String
    var from: CivilDate
    var to: CivilDate
    var total: Figures
    var months: [Figures]

    init(_ report: DealerPaymentDiscipline) {
        func figures(_ figures: PaymentDiscipline.Figures, month: Bool) -> Figures {
            func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: report.currency).decimalString }
            return Figures(
                month: month ? PlanPeriod.month(of: figures.from).description : nil, from: figures.from, to: figures.to, days: figures.days,
                sales: money(figures.salesMinor), paid: money(figures.paidMinor), balanceAtEnd: money(figures.balanceAtEndMinor),
                dsoDays: figures.dsoDays, paidOnTimePercent: figures.paidOnTimePercent, averageDaysLate: figures.averageDaysLate,
                maxDaysLate: figures.maxDaysLate)
        }
        dealerID = report.dealerID
        code = report.code
        name = report.name
        currency = report.currency.code
        from = report.discipline.total.from
        to = report.discipline.total.to
        total = figures(report.discipline.total, month: false)
        months = report.discipline.months.map { figures($0, month: true) }
    }
}
