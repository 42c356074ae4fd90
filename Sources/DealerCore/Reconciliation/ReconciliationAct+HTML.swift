import Foundation

extension ReconciliationAct {
    /// A printable A4 page in Russian, laid out as accountants know the act from 1C: the preamble, our
    /// side and the dealer's side next to each other (the dealer's mirrored: our debit is its credit),
    /// the documents it disputes with both figures and its comment, each side's conclusion, and the
    /// signature and seal blocks of both parties.
    public var html: String {
        let sheet = sheet
        let company = Self.escape(sheet.company)
        let dealer = Self.escape(sheet.dealer)
        // One table, a row per document on both sides, so the dealer's figures (or, before it answers,
        // the blank cells it fills in by hand) stay level with ours.
        let rows = sheet.rows.map(Self.row).joined()
        let conclusions = sheet.conclusions.map { conclusion in
            "<p class=\"conclusion\"><b>По данным \(Self.escape(conclusion.party)):</b> \(Self.escape(conclusion.sentence))</p>\n"
        }.joined()
        let unit = Self.escape(sheet.unit)
        return """
            <!DOCTYPE html>
            <html lang="ru">
            <head>
            <meta charset="utf-8">
            <title>Акт сверки № \(Self.escape(number))</title>
            <style>
            @page { size: A4; margin: 12mm 10mm; }
            body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #000; max-width: 190mm; margin: 8px auto; }
            h1 { font-size: 12pt; text-align: center; margin: 0 0 4pt; }
            h2 { font-size: 10pt; margin: 12pt 0 4pt; }
            p { margin: 0 0 6pt; }
            p.sub { text-align: center; }
            table { border-collapse: collapse; }
            table.act, table.differences { width: 100%; table-layout: fixed; font-size: 8pt; }
            table.act th, table.act td, table.differences th, table.differences td { border: 1px solid #000; padding: 1.5pt 2pt; overflow-wrap: break-word; }
            thead { display: table-header-group; }
            tr { page-break-inside: avoid; }
            td.date, td.sum { white-space: nowrap; vertical-align: top; }
            td.sum { text-align: right; }
            table.act td:nth-child(4) { border-right: 2px solid #000; }
            th.side { text-align: left; font-size: 9pt; }
            tr.total td { font-weight: bold; }
            tr.differs td { background: #fde2e2; }
            p.conclusion { margin-top: 8pt; }
            .signatures { width: 100%; table-layout: fixed; margin-top: 16pt; page-break-inside: avoid; }
            .signatures td { vertical-align: top; padding-right: 12pt; }
            .line { border-bottom: 1px solid #000; height: 18pt; margin: 6pt 0 2pt; }
            .hint { font-size: 7pt; color: #333; }
            .seal { margin-top: 6pt; color: #555; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(sheet.title))</h1>
            <p class="sub">\(Self.escape(sheet.period))<br>
            \(Self.escape(sheet.parties))<br>
            \(Self.escape(sheet.details))</p>
            <p>\(Self.escape(sheet.preamble))</p>
            <table class="act">
            <colgroup>\(Self.sideColumns)\(Self.sideColumns)</colgroup>
            <thead>
            <tr><th colspan="4" class="side">По данным \(company), \(unit)</th><th colspan="4" class="side">По данным \(dealer), \(unit)</th></tr>
            <tr>\(Self.sideHeader)\(Self.sideHeader)</tr>
            </thead><tbody>
            \(rows)</tbody></table>
            \(Self.differencesTable(sheet.differences))\(conclusions)<table class="signatures"><tbody><tr>
            <td><p>От \(company)</p><div class="line"></div><p class="hint">\(ActSheet.signatureHint)</p><p class="seal">М.П.</p></td>
            <td><p>От \(dealer)</p><div class="line"></div><p class="hint">\(ActSheet.signatureHint)</p><p class="seal">М.П.</p></td>
            </tr></tbody></table>
            </body>
            </html>

            """
    }

    /// The disputed documents with both figures, the difference and the dealer's comment.
    private static func differencesTable(_ differences: [ActSheet.Difference]) -> String {
        guard !differences.isEmpty else { return "" }
        let rows = differences.map { difference in
            "<tr><td>\(escape(difference.document))</td>"
                + "<td class=\"sum\">\(escape(difference.ours))</td>"
                + "<td class=\"sum\">\(escape(difference.theirs))</td>"
                + "<td class=\"sum\">\(escape(difference.difference))</td>"
                + "<td>\(escape(difference.comment))</td></tr>\n"
        }.joined()
        return """
            <h2>Расхождения</h2>
            <table class="differences"><colgroup><col style="width: 32%"><col style="width: 16%"><col style="width: 16%"><col style="width: 15%"><col style="width: 21%"></colgroup>
            <thead><tr><th>Документ</th><th>По нашим данным</th><th>По данным дилера</th><th>Разница</th><th>Комментарий</th></tr></thead><tbody>
            \(rows)</tbody></table>

            """
    }

    private static let sideColumns = #"<col style="width: 10%"><col style="width: 15%"><col style="width: 12.5%"><col style="width: 12.5%">"#
    private static let sideHeader = "<th>Дата</th><th>Документ</th><th>Дебет</th><th>Кредит</th>"

    private static func row(_ row: ActSheet.Row) -> String {
        let attribute =
            switch row.style {
            case .plain: ""
            case .total: " class=\"total\""
            case .differs: " class=\"differs\""
            }
        let cells = [row.ours, row.theirs].map { side in
            "<td class=\"date\">\(escape(side.date))</td><td>\(escape(side.document))</td>"
                + "<td class=\"sum\">\(escape(side.debit))</td><td class=\"sum\">\(escape(side.credit))</td>"
        }
        return "<tr\(attribute)>\(cells[0])\(cells[1])</tr>\n"
    }

    static func escape(_ text: String) -> String { text.markupEscaped }
}
