import DealerCore
import DealerStore
import Foundation

/// Plan against fact by manager as a server-rendered SVG bar chart: for each manager a light bar
/// for the plan and a dark one for the fact, scaled to the largest of all. No script, no library;
/// the figures are also in the table below it for screen readers.
enum PlanChart {
    static let rowHeight = 34
    static let labelWidth = 190
    static let barWidth = 560

    static func svg(_ report: PlanFulfillmentReport) -> String {
        guard !report.lines.isEmpty else { return "" }
        let largest = report.lines.map { max($0.figures.planMinor, $0.figures.factMinor) }.max() ?? 0
        let height = report.lines.count * rowHeight + 28
        func width(_ minor: Int64) -> Int {
            guard largest > 0, minor > 0 else { return 0 }
            // Exact integer scaling; the quotient is at most barWidth.
            return Int((Decimal(minor) * Decimal(barWidth) / Decimal(largest)).rounded())
        }
        var parts = [
            #"<svg class="chart" viewBox="0 0 \#(labelWidth + barWidth + 10) \#(height)" role="img" aria-labelledby="plan-chart-title" xmlns="http://www.w3.org/2000/svg">"#,
            #"<title id="plan-chart-title">План и факт по менеджерам</title>"#,
        ]
        for (index, line) in report.lines.enumerated() {
            let y = index * rowHeight + 4
            let name = HTMLText.escape(line.name ?? "без менеджера")
            parts.append(#"<text x="0" y="\#(y + 18)" class="label">\#(name)</text>"#)
            parts.append(#"<rect x="\#(labelWidth)" y="\#(y)" width="\#(width(line.figures.planMinor))" height="12" class="plan"></rect>"#)
            parts.append(#"<rect x="\#(labelWidth)" y="\#(y + 14)" width="\#(width(line.figures.factMinor))" height="12" class="fact"></rect>"#)
        }
        let legend = report.lines.count * rowHeight + 20
        parts.append(
            #"<rect x="\#(labelWidth)" y="\#(legend - 9)" width="12" height="10" class="plan"></rect><text x="\#(labelWidth + 16)" y="\#(legend)" class="legend">план</text>"#
        )
        parts.append(
            #"<rect x="\#(labelWidth + 70)" y="\#(legend - 9)" width="12" height="10" class="fact"></rect><text x="\#(labelWidth + 86)" y="\#(legend)" class="legend">факт</text>"#
        )
        parts.append("</svg>")
        return parts.joined()
    }
}

extension Decimal {
    fileprivate func rounded() -> Int {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, .plain)
        return NSDecimalNumber(decimal: result).intValue
    }
}
