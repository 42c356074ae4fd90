import Foundation

/// Figures in messages and letters as Russian readers write them.
public enum RussianText {
    /// `1 050 000 ₽`, `1 050 000,50 ₽`: kopecks only when there are any; other currencies by code.
    public static func money(_ money: Money) -> String {
        var text = money.russianText
        if text.hasSuffix(",00") { text.removeLast(3) }
        return text + "\u{00A0}" + (money.currency == .rub ? "₽" : money.currency.code)
    }

    /// The same from an event's decimal text; the text itself if it does not parse.
    public static func money(_ decimal: String, currency: String) -> String {
        guard let currency = Currency(code: currency), let value = try? Money(parsing: decimal, currency: currency) else { return decimal }
        return money(value)
    }

    /// `1 день`, `3 дня`, `12 дней`.
    public static func days(_ count: Int) -> String { plural(count, "день", "дня", "дней") }

    /// The count with the word in the form Russian needs after it.
    public static func plural(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        let lastTwo = abs(count) % 100
        let last = abs(count) % 10
        let word = (11...14).contains(lastTwo) ? many : last == 1 ? one : (2...4).contains(last) ? few : many
        return "\(count) \(word)"
    }

    /// `01.12.2026 08:30` in `timeZone`.
    public static func instant(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        return (day?.russian ?? "") + " " + (parts.hour ?? 0).zeroPadded(2) + ":" + (parts.minute ?? 0).zeroPadded(2)
    }

    /// `105 %` (whole percent, half up), or nil without a whole.
    public static func percent(_ part: String, of whole: String?) -> String? {
        guard let whole, let numerator = Decimal(string: part, locale: Locale(identifier: "en_US_POSIX")),
            let denominator = Decimal(string: whole, locale: Locale(identifier: "en_US_POSIX")), denominator > 0
        else { return nil }
        return "\(Percent.rounded(numerator * 100 / denominator, places: 0))\u{00A0}%"
    }
}
