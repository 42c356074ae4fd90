import DealerCore
import Foundation
import Testing

/// The act laid out once for print: the HTML page and the PDF show these rows and sentences.
@Suite("The printed act's sheet")
struct ActSheetTests {
    static func act(answered: Bool) -> ReconciliationAct {
        let entries = [
            ReconciliationActTests.entry(.shipment, "2026-10-03", 150_000_000, "РН-1"),
            ReconciliationActTests.entry(.payment, "2026-10-10", 100_000_000, "ПП-7"),
        ]
        let statement = ReconciliationStatement(
            from: CivilDate(parsing: "2026-10-01")!, to: CivilDate(parsing: "2026-10-31")!, currency: .rub,
            company: ReconciliationActTests.company, dealer: ReconciliationActTests.dealer, openingMinor: 2_000_00, entries: entries)
        return ReconciliationAct(
            id: UUID(), number: "АС-2026-10-000001", dealerID: UUID(), version: 1, previousID: nil, reason: .scheduled,
            status: answered ? .disputed : .generated, statement: statement, generatedAt: Date(),
            dealerClosingMinor: answered ? 50_000_00 : nil,
            discrepancies: answered ? [ActDiscrepancy(document: "ПП-7", oursMinor: 100_000_000, theirsMinor: 95_000_000, comment: "частично")] : [],
            answeredAt: answered ? Date() : nil, answeredBy: answered ? "buh@alfa.example" : nil)
    }

    @Test func beforeTheDealerAnswersItsSideIsLeftBlankToFillInByHand() {
        let sheet = Self.act(answered: false).sheet
        #expect(sheet.title == "Акт сверки взаимных расчётов № АС-2026-10-000001")
        #expect(sheet.period == "за период с 01.10.2026 по 31.10.2026")
        #expect(sheet.parties == "между ООО «Производитель» (ИНН 7707083893, КПП 773601001) и ООО «Альфа Моторс» (ИНН 7736207543)")
        #expect(sheet.details == "валюта: RUB; версия 1; статус: сформирован")
        #expect(
            sheet.rows.map(\.ours.document) == [
                "Сальдо начальное", "Реализация (акт, накладная) № РН-1", "Оплата (платёжное поручение) № ПП-7", "Обороты за период",
                "Сальдо конечное",
            ])
        #expect(sheet.rows.map(\.style) == [.total, .plain, .plain, .total, .total])
        #expect(sheet.rows[0].ours.debit == "2\u{A0}000,00" && sheet.rows[0].ours.credit == "")
        #expect(sheet.rows[4].ours.debit == "502\u{A0}000,00")
        #expect(sheet.rows.dropFirst().dropLast(2).allSatisfy { $0.theirs == .blank })
        #expect(sheet.conclusions.count == 1)
        #expect(sheet.conclusions[0].sentence == "на 31.10.2026 задолженность в пользу ООО «Производитель» составляет 502\u{A0}000,00 руб.")
        #expect(sheet.differences.isEmpty && sheet.unit == "руб.")
    }

    @Test func anAnsweredActMirrorsTheDealersBooksAndShowsWhatItDisputes() throws {
        let sheet = Self.act(answered: true).sheet
        // Our debit is the dealer's credit; the disputed payment shows the dealer's figure.
        #expect(sheet.rows[1].theirs.credit == "1\u{A0}500\u{A0}000,00" && sheet.rows[1].theirs.debit == "")
        #expect(sheet.rows[2].theirs.debit == "950\u{A0}000,00" && sheet.rows[2].style == .differs)
        #expect(sheet.rows[3].theirs.debit == "950\u{A0}000,00" && sheet.rows[3].theirs.credit == "1\u{A0}500\u{A0}000,00")
        #expect(sheet.rows[4].theirs.credit == "50\u{A0}000,00")
        #expect(sheet.conclusions.map(\.party) == ["ООО «Производитель»", "ООО «Альфа Моторс»"])
        let difference = try #require(sheet.differences.first)
        #expect(sheet.differences.count == 1)
        #expect(difference.document == "Оплата (платёжное поручение) № ПП-7 от 10.10.2026")
        #expect(difference.ours == "1\u{A0}000\u{A0}000,00" && difference.theirs == "950\u{A0}000,00")
        #expect(difference.difference == "50\u{A0}000,00" && difference.comment == "частично")
        #expect(sheet.details.hasSuffix("статус: с разногласиями"))
    }
}
