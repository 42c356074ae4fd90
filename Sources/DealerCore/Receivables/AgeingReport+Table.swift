import Foundation

extension AgeingReport {
    /// The report as the accountant's table: a title line, the header, a row per dealer, the
    /// groups' subtotals and the total. Amounts as decimal text; `decimalComma` for Russian Excel.
    /// The CLI prints it and the console downloads it, so both show the same table.
    public func tableRows(decimalComma: Bool) -> [[String]] {
        func amount(_ minor: Int64) -> String {
            let text = Money(minorUnits: minor, currency: currency).decimalString
            return decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        func figures(_ balance: Int64, _ buckets: AgeingBuckets) -> [String] {
            [balance, buckets.current, buckets.days1to30, buckets.days31to60, buckets.days61to90, buckets.over90, buckets.overdue].map(amount)
        }
        let header = ["КОД", "ДИЛЕР", "МЕНЕДЖЕР", "САЛЬДО", "НЕ НАСТУПИЛ СРОК", "1–30", "31–60", "61–90", "БОЛЕЕ 90", "ПРОСРОЧЕНО"]
        var rows = [["Дебиторская задолженность по срокам на \(asOf.russian), \(currency.code)"], header]
        rows += self.rows.map { [$0.code, $0.name, $0.managerName ?? ""] + figures($0.balance, $0.buckets) }
        for group in groups {
            rows.append(["ИТОГО", group.name ?? "(не указан)", "\(group.dealers)"] + figures(group.balance, group.buckets))
        }
        rows.append(["ВСЕГО", "", "\(total.dealers)"] + figures(total.balance, total.buckets))
        return rows
    }
}
