import DealerCore
import Foundation

/// A dealer's shipments on a time line, as server-rendered SVG: a dot per recent shipment (worked
/// back from the last one by its intervals), the expected next shipment as a ring, and today as a
/// line. A late dealer's gap after the last dot is drawn in red.
enum RhythmChart {
    static let width = 720
    static let height = 70

    static func svg(_ assessment: RhythmAssessment, today: CivilDate) -> String {
        guard let last = assessment.lastShipment else { return "" }
        var shipments = [last]
        for interval in assessment.recentIntervals.reversed() {
            guard let previous = shipments.first else { break }
            shipments.insert(previous.adding(days: -interval), at: 0)
        }
        let start = shipments.first ?? last
        let end = max(today, assessment.nextExpected ?? today)
        let span = max(end.days(since: start), 1)
        func x(_ day: CivilDate) -> Int { 20 + day.days(since: start) * (width - 40) / span }
        var parts = [
            #"<svg class="chart rhythm" viewBox="0 0 \#(width) \#(height)" role="img" aria-labelledby="rhythm-chart-title" xmlns="http://www.w3.org/2000/svg">"#,
            #"<title id="rhythm-chart-title">Отгрузки с \#(start.russian) по \#(last.russian); следующая ожидается \#(assessment.nextExpected?.russian ?? "—")</title>"#,
            #"<line x1="20" y1="30" x2="\#(width - 20)" y2="30" class="axis"></line>"#,
        ]
        if assessment.status == .late || assessment.status == .broken {
            parts.append(#"<line x1="\#(x(last))" y1="30" x2="\#(x(today))" y2="30" class="gap"></line>"#)
        }
        for day in shipments { parts.append(#"<circle cx="\#(x(day))" cy="30" r="5" class="shipment"></circle>"#) }
        if let next = assessment.nextExpected {
            parts.append(#"<circle cx="\#(x(next))" cy="30" r="7" class="expected"></circle>"#)
        }
        parts.append(#"<line x1="\#(x(today))" y1="12" x2="\#(x(today))" y2="48" class="today"></line>"#)
        parts.append(#"<text x="20" y="64" class="legend">\#(start.russian)</text>"#)
        parts.append(#"<text x="\#(x(today))" y="64" class="legend" text-anchor="middle">сегодня</text>"#)
        parts.append("</svg>")
        return parts.joined()
    }
}
