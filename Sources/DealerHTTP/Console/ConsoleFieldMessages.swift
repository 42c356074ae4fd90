import DealerCore
import Foundation

/// The rules' messages in Russian for the console's forms. The API speaks English to integrators;
/// a person at a form reads Russian. A message not listed here is shown as the rules wrote it.
enum ConsoleFieldMessages {
    static func russian(_ message: String) -> String {
        for (pattern, render) in table {
            if let match = message.wholeMatch(of: pattern) {
                return render(match.output.count > 1 ? match.output[1].substring.map(String.init) ?? "" : "")
            }
        }
        return message
    }

    // Each pattern captures at most one number the Russian text repeats.
    nonisolated(unsafe) private static let table: [(Regex<AnyRegexOutput>, (String) -> String)] = [
        (Regex(/required and not blank/), { _ in "Обязательное поле." }),
        (Regex(/required; it cannot be removed/), { _ in "Обязательное поле: его нельзя очистить." }),
        (Regex(/at most (\d+) characters/), { "Не длиннее \($0) символов." }),
        (Regex(/an INN consists of digits only/), { _ in "ИНН состоит только из цифр." }),
        (Regex(/an INN has 10 digits \(organisation\) or 12 \(individual\), not (\d+)/), { "В ИНН 10 цифр (организация) или 12 (ИП), а не \($0)." }),
        (Regex(/the INN's check digits do not match: probably a typo/), { _ in "Контрольные цифры ИНН не сходятся: вероятно, опечатка." }),
        (Regex(/the INN is required/), { _ in "Укажите ИНН." }),
        (Regex(/a KPP has 9 characters: .*/), { _ in "КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры." }),
        (Regex(/an individual entrepreneur \(12-digit INN\) has no KPP/), { _ in "У ИП (ИНН из 12 цифр) нет КПП." }),
        (Regex(/a dealer with code .* already exists/), { _ in "Дилер с таким кодом уже есть." }),
        (Regex(/no manager with id .*/), { _ in "Такого менеджера нет." }),
        (Regex(/required: the sum the dealer promises to pay.*/), { _ in "Укажите сумму, например 150 000,00." }),
        (Regex(/more than zero/), { _ in "Сумма должна быть больше нуля." }),
        (Regex(/".*" is not an amount such as .*/), { _ in "Это не сумма: укажите, например, 150 000,00." }),
        (Regex(/at most (\d+) digits after the point/), { "Не больше \($0) знаков после запятой." }),
        (Regex(/the amount is too large.*/), { _ in "Слишком большая сумма." }),
        (Regex(/required: the day the dealer promises to pay by/), { _ in "Укажите дату, до которой дилер обещает оплатить." }),
        (Regex(/in the past: .*/), { _ in "Дата уже прошла: укажите сегодняшний или более поздний день." }),
        (Regex(/more than (\d+) days ahead.*/), { "Не дальше чем на \($0) дней вперёд." }),
        (Regex(/a date such as .*/), { _ in "Укажите дату в виде 15.12.2026." }),
        (Regex(/the dealer already promised .*/), { _ in "У дилера уже есть действующее обещание оплаты: сначала отмените его." }),
    ]
}
