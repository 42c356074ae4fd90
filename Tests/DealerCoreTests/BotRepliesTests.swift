import DealerCore
import Foundation
import Testing

/// The bot's answers: values escaped for Telegram's HTML, the worst first, long lists cut with the
/// rest counted, and a dealer's position in words.
@Suite("Telegram bot answers")
struct BotRepliesTests {
    static func dealer(_ number: Int, name: String? = nil) -> DigestDealer {
        DigestDealer(id: UUID(), code: "D-\(number)", name: name ?? "Дилер \(number)", managerID: nil, serviceSpecialistID: nil)
    }

    static func credit(_ dealer: DigestDealer, balance: Int64, limit: Int64? = 100_000_00, overdue: Int64 = 0) -> DigestCredit {
        let state: CreditState = limit.map { balance > $0 ? .breached : balance * 10 >= $0 * 9 ? .warning : .ok } ?? .ok
        return DigestCredit(
            dealerID: dealer.id, state: state, overdueState: overdue > 0 ? .overdue : .clear, currency: .rub, balance: balance, limit: limit,
            overdue: overdue, daysOverdue: overdue > 0 ? 12 : 0)
    }

    @Test func theLimitsListIsEscapedWorstFirstAndCutAtTwenty() {
        let named = Self.dealer(1, name: "Альфа <Моторс> & Ко")
        var lines = [(named, Self.credit(named, balance: 95_000_00))]
        for number in 2...25 {
            let dealer = Self.dealer(number)
            lines.append((dealer, Self.credit(dealer, balance: Int64(100_000_00 + number * 100_00))))
        }
        let reply = BotReplies.limits(lines).components(separatedBy: "\n")
        #expect(reply.first == "<b>Кредитный лимит</b>")
        #expect(reply[1].hasPrefix("• «Дилер 25» (D-25): лимит превышен"), "the largest breach first")
        #expect(reply.count == 22 && reply.last == "и ещё 5")
        let near = BotReplies.limits([lines[0]])
        #expect(near.contains("«Альфа &lt;Моторс&gt; &amp; Ко» (D-1): близко к лимиту"), "\(near)")
        #expect(BotReplies.limits([]) == "Все ваши дилеры в пределах кредитного лимита.")
    }

    @Test func aDealersPositionSaysWhatIsOwedOverdueAndAvailable() {
        let dealer = Self.dealer(7)
        let text = BotReplies.dealer(
            dealer, credit: Self.credit(dealer, balance: 40_000_00, overdue: 5_000_00),
            rhythm: DigestRhythm(dealerID: dealer.id, status: .late, daysLate: 3, lastShipment: CivilDate(year: 2026, month: 11, day: 2)))
        #expect(
            text == """
                <b>«Дилер 7»</b> (D-7)
                Долг 40\u{A0}000\u{A0}₽ при лимите 100\u{A0}000\u{A0}₽ (40\u{A0}%), доступно 60\u{A0}000\u{A0}₽: в пределах лимита
                Просрочено 5\u{A0}000\u{A0}₽, до 12 дней
                Ритм: отгрузка запаздывает, опоздание 3 дня, последняя отгрузка 02.11.2026
                """, "\(text)")
        #expect(BotReplies.dealer(dealer, credit: nil, rhythm: nil).hasSuffix("Расчётов с дилером ещё не было"))
        #expect(BotReplies.unknownDealer("<b>") == "Дилер с кодом «&lt;b&gt;» не найден среди ваших.")
    }
}
