import Foundation

extension PaymentDiscipline {
    /// The discipline as the accountant's table: a title line, the header, a row per month and the
    /// total. Amounts as decimal text; `decimalComma` for Russian Excel (days and percents too).
    public func tableRows(dealer: String, currency: Currency, decimalComma: Bool) -> [[String]] {
        func text(_ plain: String) -> String { decimalComma ? plain.replacingOccurrences(of: ".", with: ",") : plain }
        func amount(_ minor: Int64) -> String { text(Money(minorUnits: minor, currency: currency).decimalString) }
        func number(_ value: Decimal?) -> String { value.map { text("\($0)") } ?? "—" }
        func row(_ label: String, _ figures: Figures) -> [String] {
            [
                label, figures.from.russian, figures.to.russian, amount(figures.salesMinor), amount(figures.paidMinor),
                amount(figures.balanceAtEndMinor), number(figures.dsoDays), number(figures.paidOnTimePercent),
                number(figures.averageDaysLate), String(figures.maxDaysLate),
            ]
        }
        let header = [
            "МЕСЯЦ", "С", "ПО", "ПРОДАЖИ", "ОПЛАЧЕНО", "САЛЬДО НА КОНЕЦ", "DSO, ДН.", "ОПЛАЧЕНО В СРОК, %", "СРЕДНЯЯ ПРОСРОЧКА, ДН.",
            "НАИБОЛЬШАЯ ПРОСРОЧКА, ДН.",
        ]
        var rows = [["Платёжная дисциплина: \(dealer), \(total.from.russian)–\(total.to.russian), \(currency.code)"], header]
        rows += months.map { row(PlanPeriod.month(of: $0.from).russianName, $0) }
        rows.append(row("ИТОГО", total))
        return rows
    }
}
