import Foundation

/// What the Telegram bot answers a linked person's commands with, in Russian and in Telegram's HTML
/// (every value escaped). The lists are the person's own dealers, worst first.
public enum BotReplies {
    /// How many dealers one answer names; the rest are counted.
    public static let maxLines = 20

    public static let help = """
        Команды:
        /limits — ваши дилеры у кредитного лимита и сверх него
        /late — ваши дилеры, опаздывающие с отгрузкой
        /dealer КОД — положение дилера
        /mute КОД — не присылать уведомления о дилере, /unmute КОД — присылать снова
        /stop — отключить уведомления в этом чате
        """

    public static let notLinked = "Этот чат не привязан к dealerd. Откройте ссылку привязки из dealerd (её выдаёт администратор или ваш профиль)."

    public static func limits(_ lines: [(DigestDealer, DigestCredit)]) -> String {
        let sorted = lines.sorted { lhs, rhs in lhs.1.isWorse(than: rhs.1) ?? (lhs.0.code < rhs.0.code) }
        guard !sorted.isEmpty else { return "Все ваши дилеры в пределах кредитного лимита." }
        let rows = sorted.map { NotificationDigest.creditRow($0.0, $0.1) }.map { row in
            "• «\(escaped(row["dealer_name"]))» (\(escaped(row["dealer_code"]))): \(row["state"] ?? ""), долг \(row["balance"] ?? "") при лимите \(row["limit"] ?? "") (\(row["utilisation"] ?? ""))"
        }
        return list("<b>Кредитный лимит</b>", rows)
    }

    public static func late(_ lines: [(DigestDealer, DigestRhythm)]) -> String {
        let sorted = lines.sorted { lhs, rhs in lhs.1.isWorse(than: rhs.1) ?? (lhs.0.code < rhs.0.code) }
        guard !sorted.isEmpty else { return "Все ваши дилеры отгружаются в ритме." }
        let rows = sorted.map { NotificationDigest.rhythmRow($0.0, $0.1) }.map { row in
            "• «\(escaped(row["dealer_name"]))» (\(escaped(row["dealer_code"]))): \(row["state"] ?? ""), опоздание \(row["days_late"] ?? ""), последняя отгрузка \(row["last_shipment"] ?? "")"
        }
        return list("<b>Ритм отгрузок</b>", rows)
    }

    /// One dealer's position: its debt against the limit, what is overdue, and its rhythm.
    public static func dealer(_ dealer: DigestDealer, credit: DigestCredit?, rhythm: DigestRhythm?) -> String {
        var lines = ["<b>«\(escaped(dealer.name))»</b> (\(escaped(dealer.code)))"]
        if let credit {
            let row = NotificationDigest.creditRow(dealer, credit)
            if credit.limit != nil {
                lines.append(
                    "Долг \(row["balance"] ?? "") при лимите \(row["limit"] ?? "") (\(row["utilisation"] ?? "")), доступно \(row["available"] ?? ""): \(row["state"] ?? "")"
                )
            } else {
                lines.append("Долг \(row["balance"] ?? ""), лимит не задан")
            }
            if credit.overdueState == .overdue {
                lines.append("Просрочено \(row["overdue"] ?? ""), до \(row["days_overdue"] ?? "")")
            } else {
                lines.append("Просрочки нет")
            }
        } else {
            lines.append("Расчётов с дилером ещё не было")
        }
        if let rhythm, rhythm.status != .learning {
            let row = NotificationDigest.rhythmRow(dealer, rhythm)
            lines.append(
                rhythm.status == .onRhythm
                    ? "Отгрузки в ритме, последняя \(row["last_shipment"] ?? "")"
                    : "Ритм: \(row["state"] ?? ""), опоздание \(row["days_late"] ?? ""), последняя отгрузка \(row["last_shipment"] ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    public static func unknownDealer(_ code: String) -> String {
        "Дилер с кодом «\(escaped(code))» не найден среди ваших."
    }

    public static func muted(_ dealer: DigestDealer, on: Bool) -> String {
        on
            ? "Уведомления о «\(escaped(dealer.name))» больше не придут вам. Вернуть: /unmute \(escaped(dealer.code))"
            : "Уведомления о «\(escaped(dealer.name))» снова будут приходить."
    }

    public static func escaped(_ text: String?) -> String {
        (text ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func list(_ heading: String, _ rows: [String]) -> String {
        var lines = [heading] + rows.prefix(maxLines)
        if rows.count > maxLines { lines.append("и ещё \(rows.count - maxLines)") }
        return lines.joined(separator: "\n")
    }
}
