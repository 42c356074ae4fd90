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
    var currency: Currency { Currency(code: statement.currency) ?? .rub }

    func amount(_ minor: Int64, blankZero: Bool = true) -> String {
        minor == 0 && blankZero ? "" : Money(minorUnits: minor, currency: currency).russianText
    }

    /// The act as Excel opens it: UTF-8 with BOM, `;`, decimal commas; our side line by line.
    public var csv: String {
        var rows: [[String]] = [
            ["Акт сверки № \(number)", "за период с \(statement.from.russian) по \(statement.to.russian)"],
            ["\(statement.company.name) (ИНН \(statement.company.inn))", "\(statement.dealer.name) (ИНН \(statement.dealer.inn))"],
            ["Дата", "Документ", "Дебет", "Кредит"],
            [
                "", "Сальдо начальное", amount(max(0, statement.openingMinor), blankZero: false),
                amount(max(0, -statement.openingMinor), blankZero: false),
            ],
        ]
        for line in statement.lines {
            rows.append([line.date.russian, line.document, amount(line.debitMinor), amount(line.creditMinor)])
        }
        rows.append([
            "", "Обороты за период", amount(statement.debitTurnoverMinor, blankZero: false), amount(statement.creditTurnoverMinor, blankZero: false),
        ])
        rows.append([
            "", "Сальдо конечное", amount(max(0, statement.closingMinor), blankZero: false),
            amount(max(0, -statement.closingMinor), blankZero: false),
        ])
        rows.append(["", statement.conclusion.prefix(1).uppercased() + statement.conclusion.dropFirst()])
        return ExcelCSV.document(rows)
    }
}
