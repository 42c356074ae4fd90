import Foundation

extension ReconciliationAct {
    /// A printable A4 page in Russian, laid out as accountants know the act from 1C: the preamble, our
    /// side and the dealer's side next to each other (the dealer's mirrored: our debit is its credit),
    /// the documents it disputes with both figures and its comment, each side's conclusion, and the
    /// signature and seal blocks of both parties.
    public var html: String {
        let company = Self.escape(statement.company.name)
        let dealer = Self.escape(statement.dealer.name)
        let answered = answeredAt != nil
        let differing = Dictionary(discrepancies.map { ($0.document, $0) }, uniquingKeysWith: { first, _ in first })

        // One table, a row per document on both sides, so the dealer's figures (or, before it answers,
        // the blank cells it fills in by hand) stay level with ours.
        var rows = Self.row(
            ours: ("", "Сальдо начальное", amount(max(0, statement.openingMinor)), amount(max(0, -statement.openingMinor))),
            theirs: (
                "", "Сальдо начальное", answered ? amount(max(0, -statement.openingMinor)) : "",
                answered ? amount(max(0, statement.openingMinor)) : ""
            ),
            .total)
        var theirDebitTurnover: Int64 = 0
        var theirCreditTurnover: Int64 = 0
        for line in statement.lines {
            let discrepancy = differing[line.externalID] ?? differing[line.document]
            let document = "\(line.title) № \(line.number)"
            let ours = (line.date.russian, document, amount(line.debitMinor), amount(line.creditMinor))
            guard answered else {
                rows += Self.row(ours: ours, theirs: ("", "", "", ""), .plain)
                continue
            }
            // The dealer's books mirror ours (our debit is its credit); a disputed line shows its figure.
            let theirDebit = discrepancy?.theirsMinor.map { line.creditMinor > 0 ? $0 : 0 } ?? line.creditMinor
            let theirCredit = discrepancy?.theirsMinor.map { line.debitMinor > 0 ? $0 : 0 } ?? line.debitMinor
            theirDebitTurnover += theirDebit
            theirCreditTurnover += theirCredit
            rows += Self.row(
                ours: ours, theirs: (line.date.russian, document, amount(theirDebit), amount(theirCredit)), discrepancy == nil ? .plain : .differs)
        }
        rows += Self.row(
            ours: ("", "Обороты за период", amount(statement.debitTurnoverMinor), amount(statement.creditTurnoverMinor)),
            theirs: ("", "Обороты за период", answered ? amount(theirDebitTurnover) : "", answered ? amount(theirCreditTurnover) : ""), .total)
        rows += Self.row(
            ours: ("", "Сальдо конечное", amount(max(0, statement.closingMinor)), amount(max(0, -statement.closingMinor))),
            theirs: (
                "", "Сальдо конечное", dealerClosingMinor.map { amount(max(0, -$0)) } ?? "", dealerClosingMinor.map { amount(max(0, $0)) } ?? ""
            ),
            .total)

        var conclusions = "<p class=\"conclusion\"><b>По данным \(company):</b> \(Self.sentence(statement.conclusion))</p>\n"
        if let closing = dealerClosingMinor {
            conclusions += "<p class=\"conclusion\"><b>По данным \(dealer):</b> \(Self.sentence(statement.conclusion(closingMinor: closing)))</p>\n"
        }
        let status =
            ["generated": "сформирован", "sent": "отправлен", "confirmed": "подтверждён", "disputed": "с разногласиями", "outdated": "устарел"][
                status.rawValue] ?? status.rawValue
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
            <h1>Акт сверки взаимных расчётов № \(Self.escape(number))</h1>
            <p class="sub">за период с \(statement.from.russian) по \(statement.to.russian)<br>
            между \(Self.party(statement.company)) и \(Self.party(statement.dealer))<br>
            валюта: \(Self.escape(statement.currency)); версия \(version); статус: \(status)</p>
            <p>Мы, нижеподписавшиеся, \(company), с одной стороны, и \(dealer), с другой стороны, составили настоящий акт сверки \
            в том, что состояние взаимных расчётов по данным учёта следующее:</p>
            <table class="act">
            <colgroup>\(Self.sideColumns)\(Self.sideColumns)</colgroup>
            <thead>
            <tr><th colspan="4" class="side">По данным \(company), руб.</th><th colspan="4" class="side">По данным \(dealer), руб.</th></tr>
            <tr>\(Self.sideHeader)\(Self.sideHeader)</tr>
            </thead><tbody>
            \(rows)</tbody></table>
            \(differencesTable)\(conclusions)<table class="signatures"><tbody><tr>
            <td><p>От \(company)</p><div class="line"></div><p class="hint">(должность, подпись, расшифровка)</p><p class="seal">М.П.</p></td>
            <td><p>От \(dealer)</p><div class="line"></div><p class="hint">(должность, подпись, расшифровка)</p><p class="seal">М.П.</p></td>
            </tr></tbody></table>
            </body>
            </html>

            """
    }

    /// The disputed documents with both figures, the difference and the dealer's comment.
    private var differencesTable: String {
        guard !discrepancies.isEmpty else { return "" }
        var rows = ""
        for discrepancy in discrepancies {
            let line = statement.lines.first { $0.externalID == discrepancy.document || $0.document == discrepancy.document }
            let difference = discrepancy.oursMinor.flatMap { ours in discrepancy.theirsMinor.map { ours - $0 } }
            rows +=
                "<tr><td>\(Self.escape(line?.document ?? discrepancy.document))</td>"
                + "<td class=\"sum\">\(discrepancy.oursMinor.map { amount($0, blankZero: false) } ?? "—")</td>"
                + "<td class=\"sum\">\(discrepancy.theirsMinor.map { amount($0, blankZero: false) } ?? "—")</td>"
                + "<td class=\"sum\">\(difference.map { amount($0, blankZero: false) } ?? "—")</td>"
                + "<td>\(Self.escape(discrepancy.comment ?? ""))</td></tr>\n"
        }
        return """
            <h2>Расхождения</h2>
            <table class="differences"><colgroup><col style="width: 32%"><col style="width: 16%"><col style="width: 16%"><col style="width: 15%"><col style="width: 21%"></colgroup>
            <thead><tr><th>Документ</th><th>По нашим данным</th><th>По данным дилера</th><th>Разница</th><th>Комментарий</th></tr></thead><tbody>
            \(rows)</tbody></table>

            """
    }

    private static let sideColumns = #"<col style="width: 10%"><col style="width: 15%"><col style="width: 12.5%"><col style="width: 12.5%">"#
    private static let sideHeader = "<th>Дата</th><th>Документ</th><th>Дебет</th><th>Кредит</th>"

    private enum RowStyle { case plain, total, differs }

    private static func row(
        ours: (date: String, document: String, debit: String, credit: String),
        theirs: (date: String, document: String, debit: String, credit: String),
        _ style: RowStyle
    ) -> String {
        let attribute =
            switch style {
            case .plain: ""
            case .total: " class=\"total\""
            case .differs: " class=\"differs\""
            }
        let cells = [ours, theirs].map { side in
            "<td class=\"date\">\(side.date)</td><td>\(escape(side.document))</td><td class=\"sum\">\(side.debit)</td><td class=\"sum\">\(side.credit)</td>"
        }
        return "<tr\(attribute)>\(cells[0])\(cells[1])</tr>\n"
    }

    /// «ООО «Производитель» (ИНН 7707083893, КПП 773601001)»; what the card lacks is left out.
    private static func party(_ party: ActParty) -> String {
        let codes = [party.inn.isEmpty ? nil : "ИНН " + party.inn, party.kpp.map { "КПП " + $0 }].compactMap { $0 }
        return escape(party.name) + (codes.isEmpty ? "" : " (" + escape(codes.joined(separator: ", ")) + ")")
    }

    /// The conclusion ends with «руб.» in roubles and with a currency code otherwise.
    private static func sentence(_ text: String) -> String {
        escape(text.hasSuffix(".") ? text : text + ".")
    }

    static func escape(_ text: String) -> String { text.markupEscaped }
}
