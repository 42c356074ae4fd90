import DealerCore
import DealerStore
import Foundation

/// The twelve months of a dealer's payment discipline under its position, on the card and in the
/// cabinet: the dealer sees what the accountant sees.
extension ConsoleController {
    func disciplineView(dealerID: UUID) async throws -> [String: Any] {
        let span = PaymentDiscipline.defaultSpan(today: store.calendar.today)
        let report = try await store.paymentDiscipline(dealerID: dealerID, from: span.from, to: span.to, defaults: api.credit)
        let currency = report.currency
        func days(_ value: Decimal?) -> String { value.map { ScorecardText.decimal($0) } ?? "—" }
        func percent(_ value: Decimal?) -> String { value.map { ScorecardText.decimal($0) + " %" } ?? "—" }
        let total = report.discipline.total
        return [
            "discipline": [
                "from": total.from.russian, "to": total.to.russian,
                "dso": days(total.dsoDays), "on_time": percent(total.paidOnTimePercent), "days_late": days(total.averageDaysLate),
                "max_late": total.maxDaysLate, "late": (total.averageDaysLate ?? 0) > 0,
                "months": report.discipline.months.map { month in
                    [
                        "month": PlanPeriod.month(of: month.from).russianName, "sales": ConsoleText.money(month.salesMinor, currency),
                        "paid": ConsoleText.money(month.paidMinor, currency), "dso": days(month.dsoDays),
                        "on_time": percent(month.paidOnTimePercent), "days_late": days(month.averageDaysLate),
                        "late": (month.averageDaysLate ?? 0) > 0,
                    ] as [String: Any]
                },
            ] as [String: Any]
        ]
    }
}
