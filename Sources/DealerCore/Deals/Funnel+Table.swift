import Foundation

extension Funnel {
    /// The funnel as the head of sales' table: a title line, the stages with their deals in work,
    /// how many got to each and went on, then the period's results. Amounts as decimal text;
    /// `decimalComma` for Russian Excel (percents too).
    public func tableRows(whose: String, currency: Currency, decimalComma: Bool) -> [[String]] {
        func text(_ plain: String) -> String { decimalComma ? plain.replacingOccurrences(of: ".", with: ",") : plain }
        func amount(_ minor: Int64) -> String { text(Money(minorUnits: minor, currency: currency).decimalString) }
        func number(_ value: Decimal?) -> String { value.map { text("\($0)") } ?? "—" }
        var rows = [
            ["Воронка продаж: \(whose), \(period.russianName) (по \(end.russian)), \(currency.code)"],
            ["ЭТАП", "В РАБОТЕ", "СУММА", "ДОШЛИ", "ПЕРЕШЛИ ДАЛЬШЕ, %"],
        ]
        rows += stages.map { [$0.title, String($0.inWork), amount($0.inWorkMinor), String($0.reached), number($0.conversionPercent)] }
        rows.append(["ВСЕГО В РАБОТЕ", String(inWork), amount(inWorkMinor), String(opened), ""])
        rows.append(["ВЫИГРАНО", String(won), amount(wonMinor), "", number(winRatePercent)])
        rows.append(["ПРОИГРАНО", String(lost), amount(lostMinor), "", ""])
        rows.append(["СРЕДНЯЯ СДЕЛКА", "", averageDealMinor.map(amount) ?? "—", "", ""])
        rows.append(["ДНЕЙ ДО ПОБЕДЫ (МЕДИАНА)", number(medianDaysToClose), "", "", ""])
        for reason in lostReasons { rows.append(["ПРИЧИНА ПРОИГРЫША", String(reason.deals), "", "", reason.reason]) }
        return rows
    }
}
