import Foundation

/// One side of a reconciliation act (акт сверки взаимных расчётов): a party as the act names it.
public struct ActParty: Sendable, Equatable, Codable {
    public var name: String
    public var inn: String
    public var kpp: String?

    public init(name: String, inn: String, kpp: String?) {
        self.name = name
        self.inn = inn
        self.kpp = kpp
    }
}

/// A document line of the act: a debit raises what the dealer owes us, a credit lowers it.
public struct ActLine: Sendable, Equatable, Codable {
    public var date: CivilDate
    /// The kind of document as 1C names it: «Реализация (акт, накладная)».
    public var title: String
    public var number: String
    /// The whole reference: «Реализация (акт, накладная) № РН-123 от 01.10.2026».
    public var document: String
    public var externalID: String
    public var debitMinor: Int64
    public var creditMinor: Int64

    public init(date: CivilDate, title: String, number: String, externalID: String, debitMinor: Int64, creditMinor: Int64) {
        self.date = date
        self.title = title
        self.number = number
        self.document = "\(title) № \(number) от \(date.russian)"
        self.externalID = externalID
        self.debitMinor = debitMinor
        self.creditMinor = creditMinor
    }

    enum CodingKeys: String, CodingKey {
        case date, title, number, document
        case externalID = "external_id"
        case debitMinor = "debit_minor"
        case creditMinor = "credit_minor"
    }
}

/// Our side of the act: what the ledger says for the period. Opening and closing are signed from
/// our point of view: positive, the dealer owes us (a debit balance); negative, we owe the dealer.
public struct ReconciliationStatement: Sendable, Equatable, Codable {
    public var from: CivilDate
    public var to: CivilDate
    public var currency: String
    public var company: ActParty
    public var dealer: ActParty
    public var openingMinor: Int64
    public var lines: [ActLine]
    public var debitTurnoverMinor: Int64
    public var creditTurnoverMinor: Int64
    public var closingMinor: Int64

    /// The ledger's documents of the period in date order, after the balance before it.
    public init(from: CivilDate, to: CivilDate, currency: Currency, company: ActParty, dealer: ActParty, openingMinor: Int64, entries: [LedgerEntry])
    {
        self.from = from
        self.to = to
        self.currency = currency.code
        self.company = company
        self.dealer = dealer
        self.openingMinor = openingMinor
        let ordered = entries.filter { $0.documentDate >= from && $0.documentDate <= to }
            .sorted { ($0.documentDate, $0.documentNumber, $0.externalID) < ($1.documentDate, $1.documentNumber, $1.externalID) }
        lines = ordered.map { entry in
            let effect = entry.debtEffect
            return ActLine(
                date: entry.documentDate, title: entry.kind.documentTitle, number: entry.documentNumber, externalID: entry.externalID,
                debitMinor: max(0, effect), creditMinor: max(0, -effect))
        }
        debitTurnoverMinor = lines.reduce(0) { $0 + $1.debitMinor }
        creditTurnoverMinor = lines.reduce(0) { $0 + $1.creditMinor }
        closingMinor = openingMinor + debitTurnoverMinor - creditTurnoverMinor
    }

    /// «на 31.10.2026 задолженность в пользу ООО «Производитель» составляет 1 234 567,89 руб.»
    public var conclusion: String { conclusion(closingMinor: closingMinor) }

    /// The same sentence for another closing balance (the dealer's, by its books), signed as ours.
    public func conclusion(closingMinor: Int64) -> String {
        let amount = Money(minorUnits: abs(closingMinor), currency: Currency(code: currency) ?? .rub).russianText
        let unit = currency == "RUB" ? "руб." : currency
        switch closingMinor {
        case 0: return "на \(to.russian) задолженность отсутствует"
        case 1...: return "на \(to.russian) задолженность в пользу \(company.name) составляет \(amount) \(unit)"
        default: return "на \(to.russian) задолженность в пользу \(dealer.name) составляет \(amount) \(unit)"
        }
    }

    enum CodingKeys: String, CodingKey {
        case from, to, currency, company, dealer, lines
        case openingMinor = "opening_minor"
        case debitTurnoverMinor = "debit_turnover_minor"
        case creditTurnoverMinor = "credit_turnover_minor"
        case closingMinor = "closing_minor"
    }
}

extension LedgerEntryKind {
    /// The document's name as 1C prints it in an act.
    public var documentTitle: String {
        switch self {
        case .shipment: "Реализация (акт, накладная)"
        case .invoice: "Счёт"
        case .payment: "Оплата (платёжное поручение)"
        case .return: "Возврат товаров"
        case .adjustment: "Корректировка долга"
        }
    }
}

extension CivilDate {
    /// `31.10.2026`, as Russian documents write dates.
    public var russian: String { day.zeroPadded(2) + "." + month.zeroPadded(2) + "." + year.zeroPadded(4) }
}

extension Money {
    /// `1 234 567,89`: digits grouped by a no-break space, a decimal comma.
    public var russianText: String {
        let plain = decimalString
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var whole = ""
        for (index, character) in parts[0].reversed().enumerated() {
            if index > 0 && index % 3 == 0 { whole.append("\u{00A0}") }
            whole.append(character)
        }
        let grouped = String(whole.reversed()) + (parts.count > 1 ? "," + parts[1] : "")
        return negative ? "-" + grouped : grouped
    }
}
