import Foundation

/// The act as it is printed, laid out once for every printed form (the HTML page and the PDF), so
/// both show the same rows, figures and sentences: the preamble, our side and the dealer's side next
/// to each other (the dealer's mirrored: our debit is its credit), the documents it disputes with
/// both figures and its comment, each side's conclusion, and the two signature blocks.
///
/// Every string is plain text; each printed form escapes it its own way.
public struct ActSheet: Sendable, Equatable {
    /// One side's cells of a row: a date, a document, a debit and a credit, blank where empty.
    public struct Side: Sendable, Equatable {
        public var date: String
        public var document: String
        public var debit: String
        public var credit: String

        /// Cells left for the dealer to fill in by hand.
        public static let blank = Side(date: "", document: "", debit: "", credit: "")
    }

    public enum RowStyle: Sendable, Equatable { case plain, total, differs }

    /// A row of both sides, level with each other: a balance, a document or the turnover.
    public struct Row: Sendable, Equatable {
        public var ours: Side
        public var theirs: Side
        public var style: RowStyle
    }

    /// A document the dealer disputes: both figures, their difference and the dealer's comment.
    public struct Difference: Sendable, Equatable {
        public var document: String
        public var ours: String
        public var theirs: String
        public var difference: String
        public var comment: String
    }

    /// «По данным X: на 31.10.2026 задолженность … составляет … руб.»
    public struct Conclusion: Sendable, Equatable {
        public var party: String
        public var sentence: String
    }

    /// «Акт сверки взаимных расчётов № АС-2026-10-0001»
    public var title: String
    /// «за период с 01.10.2026 по 31.10.2026»
    public var period: String
    /// «между ООО «Производитель» (ИНН 7707083893, КПП 773601001) и ООО «Альфа» (ИНН …)»
    public var parties: String
    /// «валюта: RUB; версия 1; статус: сформирован»
    public var details: String
    public var preamble: String
    public var company: String
    public var dealer: String
    /// The unit the figures are in, for the side headings: «руб.» or a currency code.
    public var unit: String
    public var rows: [Row]
    public var differences: [Difference]
    public var conclusions: [Conclusion]

    /// The column headings of each side.
    public static let sideHeadings = Side(date: "Дата", document: "Документ", debit: "Дебет", credit: "Кредит")
    /// What is written under each signature line.
    public static let signatureHint = "(должность, подпись, расшифровка)"
}

extension ReconciliationAct {
    /// The act laid out for printing.
    public var sheet: ActSheet {
        let answered = answeredAt != nil
        let differing = Dictionary(discrepancies.map { ($0.document, $0) }, uniquingKeysWith: { first, _ in first })
        typealias Side = ActSheet.Side

        // Before the dealer answers, its cells stay blank for it to fill in by hand.
        var rows = [
            ActSheet.Row(
                ours: Side(
                    date: "", document: "Сальдо начальное", debit: amount(max(0, statement.openingMinor)),
                    credit: amount(max(0, -statement.openingMinor))),
                theirs: Side(
                    date: "", document: "Сальдо начальное", debit: answered ? amount(max(0, -statement.openingMinor)) : "",
                    credit: answered ? amount(max(0, statement.openingMinor)) : ""),
                style: .total)
        ]
        var theirDebitTurnover: Int64 = 0
        var theirCreditTurnover: Int64 = 0
        for line in statement.lines {
            let discrepancy = differing[line.externalID] ?? differing[line.document]
            let document = "\(line.title) № \(line.number)"
            let ours = Side(date: line.date.russian, document: document, debit: amount(line.debitMinor), credit: amount(line.creditMinor))
            guard answered else {
                rows.append(ActSheet.Row(ours: ours, theirs: .blank, style: .plain))
                continue
            }
            // The dealer's books mirror ours (our debit is its credit); a disputed line shows its figure.
            let theirDebit = discrepancy?.theirsMinor.map { line.creditMinor > 0 ? $0 : 0 } ?? line.creditMinor
            let theirCredit = discrepancy?.theirsMinor.map { line.debitMinor > 0 ? $0 : 0 } ?? line.debitMinor
            theirDebitTurnover += theirDebit
            theirCreditTurnover += theirCredit
            rows.append(
                ActSheet.Row(
                    ours: ours, theirs: Side(date: line.date.russian, document: document, debit: amount(theirDebit), credit: amount(theirCredit)),
                    style: discrepancy == nil ? .plain : .differs))
        }
        rows.append(
            ActSheet.Row(
                ours: Side(
                    date: "", document: "Обороты за период", debit: amount(statement.debitTurnoverMinor),
                    credit: amount(statement.creditTurnoverMinor)),
                theirs: Side(
                    date: "", document: "Обороты за период", debit: answered ? amount(theirDebitTurnover) : "",
                    credit: answered ? amount(theirCreditTurnover) : ""),
                style: .total))
        rows.append(
            ActSheet.Row(
                ours: Side(
                    date: "", document: "Сальдо конечное", debit: amount(max(0, statement.closingMinor)),
                    credit: amount(max(0, -statement.closingMinor))),
                theirs: Side(
                    date: "", document: "Сальдо конечное", debit: dealerClosingMinor.map { amount(max(0, -$0)) } ?? "",
                    credit: dealerClosingMinor.map { amount(max(0, $0)) } ?? ""),
                style: .total))

        var conclusions = [ActSheet.Conclusion(party: statement.company.name, sentence: Self.sentence(statement.conclusion))]
        if let closing = dealerClosingMinor {
            conclusions.append(
                ActSheet.Conclusion(party: statement.dealer.name, sentence: Self.sentence(statement.conclusion(closingMinor: closing))))
        }
        let differences = discrepancies.map { discrepancy in
            let line = statement.lines.first { $0.externalID == discrepancy.document || $0.document == discrepancy.document }
            let difference = discrepancy.oursMinor.flatMap { ours in discrepancy.theirsMinor.map { ours - $0 } }
            return ActSheet.Difference(
                document: line?.document ?? discrepancy.document,
                ours: discrepancy.oursMinor.map { amount($0, blankZero: false) } ?? "—",
                theirs: discrepancy.theirsMinor.map { amount($0, blankZero: false) } ?? "—",
                difference: difference.map { amount($0, blankZero: false) } ?? "—",
                comment: discrepancy.comment ?? "")
        }
        let company = statement.company.name
        let dealer = statement.dealer.name
        return ActSheet(
            title: "Акт сверки взаимных расчётов № \(number)",
            period: "за период с \(statement.from.russian) по \(statement.to.russian)",
            parties: "между \(Self.party(statement.company)) и \(Self.party(statement.dealer))",
            details: "валюта: \(statement.currency); версия \(version); статус: \(status.russian)",
            preamble: "Мы, нижеподписавшиеся, \(company), с одной стороны, и \(dealer), с другой стороны, составили настоящий акт сверки "
                + "в том, что состояние взаимных расчётов по данным учёта следующее:",
            company: company, dealer: dealer, unit: statement.currency == "RUB" ? "руб." : statement.currency,
            rows: rows, differences: differences, conclusions: conclusions)
    }

    /// «ООО «Производитель» (ИНН 7707083893, КПП 773601001)»; what the card lacks is left out.
    private static func party(_ party: ActParty) -> String {
        let codes = [party.inn.isEmpty ? nil : "ИНН " + party.inn, party.kpp.map { "КПП " + $0 }].compactMap { $0 }
        return party.name + (codes.isEmpty ? "" : " (" + codes.joined(separator: ", ") + ")")
    }

    /// The conclusion ends with «руб.» in roubles and with a currency code otherwise.
    private static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }
}

extension ActStatus {
    /// The status as the printed act names it.
    public var russian: String {
        switch self {
        case .generated: "сформирован"
        case .sent: "отправлен"
        case .confirmed: "подтверждён"
        case .disputed: "с разногласиями"
        case .outdated: "устарел"
        }
    }
}
