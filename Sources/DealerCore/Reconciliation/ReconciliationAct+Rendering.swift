import Foundation

extension ReconciliationAct: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, number, version, reason, status, company, dealer, ours, conclusion, discrepancies
        case dealerID = "dealer_id"
        case previousID = "previous_id"
        case periodFrom = "period_from"
        case periodTo = "period_to"
        case currency
        case generatedAt = "generated_at"
        case dealerSide = "dealer_side"
        case answeredAt = "answered_at"
        case answeredBy = "answered_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let currency = Currency(code: statement.currency) ?? .rub
        func money(_ minor: Int64) -> JSONValue { .string(Money(minorUnits: minor, currency: currency).decimalString) }
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(number, forKey: .number)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(version, forKey: .version)
        try container.encode(previousID?.lowercased, forKey: .previousID)
        try container.encode(reason, forKey: .reason)
        try container.encode(status, forKey: .status)
        try container.encode(statement.from.iso, forKey: .periodFrom)
        try container.encode(statement.to.iso, forKey: .periodTo)
        try container.encode(statement.currency, forKey: .currency)
        try container.encode(statement.company, forKey: .company)
        try container.encode(statement.dealer, forKey: .dealer)
        try container.encode(generatedAt, forKey: .generatedAt)
        let ours: JSONValue = .object([
            "opening": money(statement.openingMinor),
            "lines": .array(
                statement.lines.map {
                    .object([
                        "date": .string($0.date.iso), "document": .string($0.document), "external_id": .string($0.externalID),
                        "debit": money($0.debitMinor), "credit": money($0.creditMinor),
                    ])
                }),
            "debit_turnover": money(statement.debitTurnoverMinor), "credit_turnover": money(statement.creditTurnoverMinor),
            "closing": money(statement.closingMinor),
        ])
        try container.encode(ours, forKey: .ours)
        try container.encode(statement.conclusion, forKey: .conclusion)
        // Once answered: the dealer's closing balance (unknown when its EDO answer lists only the
        // differing documents) and the lines it differs on.
        let side: JSONValue? = answeredAt.map { _ in
            .object([
                "closing": dealerClosingMinor.map(money) ?? .null,
                "discrepancies": .array(
                    discrepancies.map {
                        .object([
                            "document": .string($0.document), "ours": $0.oursMinor.map(money) ?? .null, "theirs": $0.theirsMinor.map(money) ?? .null,
                            "comment": $0.comment.map(JSONValue.string) ?? .null,
                        ])
                    }),
            ])
        }
        try container.encode(side, forKey: .dealerSide)
        try container.encode(answeredAt, forKey: .answeredAt)
        try container.encode(answeredBy, forKey: .answeredBy)
    }
}

extension ReconciliationAct {
    private var currency: Currency { Currency(code: statement.currency) ?? .rub }

    private func amount(_ minor: Int64, blankZero: Bool = true) -> String {
        minor == 0 && blankZero ? "" : Money(minorUnits: minor, currency: currency).russianText
    }

    /// The act as Excel opens it: UTF-8 with BOM, `;`, decimal commas; our side line by line.
    public var csv: String {
        func quoted(_ field: String) -> String {
            field.contains(";") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        var rows: [[String]] = [
            ["Акт сверки № \(number)", "за период с \(statement.from.russian) по \(statement.to.russian)"],
            ["\(statement.company.name) (ИНН \(statement.company.inn))", "\(statement.dealer.name) (ИНН \(statement.dealer.inn))"],
            ["Дата", "Документ", "Дебет", "Кредит"],
            ["", "Сальдо начальное", amount(max(0, statement.openingMinor), blankZero: false), amount(max(0, -statement.openingMinor), blankZero: false)],
        ]
        for line in statement.lines {
            rows.append([line.date.russian, line.document, amount(line.debitMinor), amount(line.creditMinor)])
        }
        rows.append(["", "Обороты за период", amount(statement.debitTurnoverMinor, blankZero: false), amount(statement.creditTurnoverMinor, blankZero: false)])
        rows.append(["", "Сальдо конечное", amount(max(0, statement.closingMinor), blankZero: false), amount(max(0, -statement.closingMinor), blankZero: false)])
        rows.append(["", statement.conclusion.prefix(1).uppercased() + statement.conclusion.dropFirst()])
        return "\u{FEFF}" + rows.map { $0.map(quoted).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A printable A4 page in Russian: both sides' tables, totals, the conclusion, signatures and seals.
    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let company = escape(statement.company.name)
        let dealer = escape(statement.dealer.name)
        var ours = ""
        var theirs = ""
        let differing = Dictionary(discrepancies.map { ($0.document, $0) }, uniquingKeysWith: { first, _ in first })
        func row(_ date: String, _ document: String, _ debit: String, _ credit: String, total: Bool = false, mark: Bool = false) -> String {
            let cls = total ? " class=\"total\"" : mark ? " class=\"differs\"" : ""
            return "<tr\(cls)><td>\(date)</td><td>\(escape(document))</td><td class=\"sum\">\(debit)</td><td class=\"sum\">\(credit)</td></tr>\n"
        }
        ours += row("", "Сальдо начальное", amount(max(0, statement.openingMinor)), amount(max(0, -statement.openingMinor)), total: true)
        let answered = answeredAt != nil
        theirs += row("", "Сальдо начальное", answered ? amount(max(0, -statement.openingMinor)) : "", answered ? amount(max(0, statement.openingMinor)) : "", total: true)
        for line in statement.lines {
            let discrepancy = differing[line.externalID] ?? differing[line.document]
            ours += row(line.date.russian, line.document, amount(line.debitMinor), amount(line.creditMinor), mark: discrepancy != nil)
            if answered {
                // The dealer's books mirror ours: our debit is its credit. A disputed line shows its figure.
                let theirDebit = discrepancy?.theirsMinor.map { line.creditMinor > 0 ? $0 : 0 } ?? line.creditMinor
                let theirCredit = discrepancy?.theirsMinor.map { line.debitMinor > 0 ? $0 : 0 } ?? line.debitMinor
                theirs += row(line.date.russian, line.document, amount(theirDebit), amount(theirCredit), mark: discrepancy != nil)
            } else {
                theirs += row("", "", "", "")
            }
        }
        ours += row("", "Обороты за период", amount(statement.debitTurnoverMinor), amount(statement.creditTurnoverMinor), total: true)
        ours += row("", "Сальдо конечное", amount(max(0, statement.closingMinor)), amount(max(0, -statement.closingMinor)), total: true)
        if let closing = dealerClosingMinor {
            theirs += row("", "Сальдо конечное", amount(max(0, -closing)), amount(max(0, closing)), total: true)
        }
        let status = ["generated": "сформирован", "sent": "отправлен", "confirmed": "подтверждён", "disputed": "с разногласиями", "outdated": "устарел"][status.rawValue] ?? status.rawValue
        return """
            <!DOCTYPE html>
            <html lang="ru">
            <head>
            <meta charset="utf-8">
            <title>Акт сверки № \(escape(number))</title>
            <style>
            @page { size: A4; margin: 15mm; }
            body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #000; }
            h1 { font-size: 13pt; text-align: center; margin: 0 0 4pt; }
            p.sub { text-align: center; margin: 0 0 10pt; }
            table.sides { width: 100%; border-collapse: collapse; }
            table.sides > tbody > tr > td { width: 50%; vertical-align: top; padding: 0 4pt; }
            table.act { width: 100%; border-collapse: collapse; }
            table.act th, table.act td { border: 1px solid #000; padding: 2pt 3pt; }
            td.sum { text-align: right; white-space: nowrap; }
            tr.total td { font-weight: bold; }
            tr.differs td { background: #fde2e2; }
            .signatures { width: 100%; margin-top: 18pt; }
            .signatures td { width: 50%; vertical-align: top; padding-right: 12pt; }
            .line { border-bottom: 1px solid #000; height: 18pt; margin: 6pt 0 2pt; }
            .seal { margin-top: 6pt; color: #555; }
            </style>
            </head>
            <body>
            <h1>Акт сверки взаимных расчётов № \(escape(number))</h1>
            <p class="sub">за период с \(statement.from.russian) по \(statement.to.russian)<br>
            между \(company) (ИНН \(escape(statement.company.inn))\(statement.company.kpp.map { ", КПП " + escape($0) } ?? "")) и \(dealer) (ИНН \(escape(statement.dealer.inn))\(statement.dealer.kpp.map { ", КПП " + escape($0) } ?? ""))<br>
            валюта: \(escape(statement.currency)); версия \(version); статус: \(status)</p>
            <table class="sides"><tbody><tr>
            <td>
            <p><b>По данным \(company), руб.</b></p>
            <table class="act"><thead><tr><th>Дата</th><th>Документ</th><th>Дебет</th><th>Кредит</th></tr></thead><tbody>
            \(ours)</tbody></table>
            </td>
            <td>
            <p><b>По данным \(dealer), руб.</b></p>
            <table class="act"><thead><tr><th>Дата</th><th>Документ</th><th>Дебет</th><th>Кредит</th></tr></thead><tbody>
            \(theirs)</tbody></table>
            </td>
            </tr></tbody></table>
            <p class="conclusion"><b>По данным \(company):</b> \(escape(statement.conclusion)).</p>
            <table class="signatures"><tbody><tr>
            <td><p>От \(company)</p><div class="line"></div><p>(должность, подпись, расшифровка)</p><p class="seal">М.П.</p></td>
            <td><p>От \(dealer)</p><div class="line"></div><p>(должность, подпись, расшифровка)</p><p class="seal">М.П.</p></td>
            </tr></tbody></table>
            </body>
            </html>

            """
    }
}
