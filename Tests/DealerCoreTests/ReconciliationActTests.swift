import DealerCore
import Foundation
import Testing

@Suite("Reconciliation acts: the statement, its conclusion and act numbers")
struct ReconciliationActTests {
    static let company = ActParty(name: "ООО «Производитель»", inn: "7707083893", kpp: "773601001")
    static let dealer = ActParty(name: "ООО «Альфа Моторс»", inn: "7736207543", kpp: nil)

    static func entry(_ kind: LedgerEntryKind, _ date: String, _ minor: Int64, _ id: String) -> LedgerEntry {
        LedgerEntry(
            id: UUID(), dealerID: UUID(), externalID: id, kind: kind, documentNumber: id, documentDate: CivilDate(parsing: date)!,
            amount: Money(minorUnits: minor, currency: .rub), dueDate: nil, createdAt: Date(), updatedAt: Date())
    }

    /// Random ledgers: opening + debits − credits = closing, and one month's closing is the next one's opening.
    @Test
    func balancesCarryFromMonthToMonthOnRandomLedgers() {
        var generator = SystemRandomNumberGenerator()
        let kinds: [LedgerEntryKind] = [.shipment, .payment, .return, .invoice, .adjustment]
        for _ in 0..<50 {
            let entries = (0..<Int.random(in: 0...60, using: &generator)).map { index in
                let kind = kinds.randomElement(using: &generator)!
                let day = CivilDate(parsing: "2026-09-01")!.adding(days: Int.random(in: 0...60, using: &generator))
                let amount = Int64.random(in: 1...10_000_000, using: &generator) * (kind == .adjustment && Bool.random(using: &generator) ? -1 : 1)
                return Self.entry(kind, day.iso, amount, "E\(index)")
            }
            let months = ["2026-09", "2026-10"].map { PlanPeriod(parsing: $0)! }
            var opening: Int64 = 0
            for month in months {
                let statement = ReconciliationStatement(
                    from: month.firstDay, to: month.lastDay, currency: .rub, company: Self.company, dealer: Self.dealer, openingMinor: opening,
                    entries: entries)
                #expect(statement.openingMinor + statement.debitTurnoverMinor - statement.creditTurnoverMinor == statement.closingMinor)
                let inMonth = entries.filter { $0.documentDate >= month.firstDay && $0.documentDate <= month.lastDay }
                #expect(statement.lines.count == inMonth.count)
                #expect(statement.closingMinor - statement.openingMinor == inMonth.reduce(0) { $0 + $1.debtEffect })
                opening = statement.closingMinor
            }
        }
    }

    @Test
    func linesNameTheDocumentsAndTheConclusionSaysWhoOwesWhom() {
        let entries = [
            Self.entry(.shipment, "2026-10-03", 150_000_000, "РН-1"), Self.entry(.payment, "2026-10-10", 100_000_000, "ПП-7"),
            Self.entry(.return, "2026-10-12", 1_234_567, "ВЗ-1"),
        ]
        let statement = ReconciliationStatement(
            from: CivilDate(parsing: "2026-10-01")!, to: CivilDate(parsing: "2026-10-31")!, currency: .rub, company: Self.company,
            dealer: Self.dealer, openingMinor: 0, entries: entries)
        #expect(
            statement.lines.map(\.document) == [
                "Реализация (акт, накладная) № РН-1 от 03.10.2026", "Оплата (платёжное поручение) № ПП-7 от 10.10.2026",
                "Возврат товаров № ВЗ-1 от 12.10.2026",
            ])
        #expect(statement.lines.map(\.debitMinor) == [150_000_000, 0, 0] && statement.lines.map(\.creditMinor) == [0, 100_000_000, 1_234_567])
        #expect(statement.conclusion == "на 31.10.2026 задолженность в пользу ООО «Производитель» составляет 487\u{A0}654,33 руб.")
        let overpaid = ReconciliationStatement(
            from: statement.from, to: statement.to, currency: .rub, company: Self.company, dealer: Self.dealer, openingMinor: -500, entries: [])
        #expect(overpaid.conclusion == "на 31.10.2026 задолженность в пользу ООО «Альфа Моторс» составляет 5,00 руб.")
        let settled = ReconciliationStatement(
            from: statement.from, to: statement.to, currency: .rub, company: Self.company, dealer: Self.dealer, openingMinor: 0, entries: [])
        #expect(settled.conclusion == "на 31.10.2026 задолженность отсутствует")
    }

    @Test
    func numbersFollowThePattern() {
        let end = CivilDate(parsing: "2026-10-31")!
        #expect(ActNumberPattern().number(periodEnd: end, sequence: 123) == "АС-2026-10-000123")
        #expect(ActNumberPattern("{SEQ}/{YYYY}").number(periodEnd: end, sequence: 7) == "7/2026")
        #expect(ActNumberPattern(checking: "АС-{YYYY}") == nil)
        #expect(Money(minorUnits: -123_456_789, currency: .rub).russianText == "-1\u{A0}234\u{A0}567,89")
    }

    @Test
    func aSoleTradersNameIsReadFromItsLegalName() {
        #expect(PersonName(soleTraderName: "ИП Петров Пётр Петрович") == PersonName(surname: "Петров", name: "Пётр", patronymic: "Петрович"))
        #expect(
            PersonName(soleTraderName: "Индивидуальный предприниматель  Римская-Корсакова Анна")
                == PersonName(surname: "Римская-Корсакова", name: "Анна"))
        #expect(PersonName(soleTraderName: "ип Оглы Мамед Гусейн оглы") == PersonName(surname: "Оглы", name: "Мамед", patronymic: "Гусейн оглы"))
        #expect(PersonName(soleTraderName: "ИП Петров") == nil, "a surname alone")
        #expect(PersonName(soleTraderName: "ИП") == nil)
        #expect(PersonName(soleTraderName: "ООО «Альфа»") == nil, "not a person's name")
    }
}
