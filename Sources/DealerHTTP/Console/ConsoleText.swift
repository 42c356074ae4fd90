import DealerCore
import Foundation

/// How the console writes figures for Russian readers: `1 234 567,89 ₽`, `01.12.2026`.
enum ConsoleText {
    static func money(_ minor: Int64, _ currency: Currency) -> String {
        Money(minorUnits: minor, currency: currency).russianText + "\u{00A0}" + (currency == .rub ? "₽" : currency.code)
    }

    static func date(_ day: CivilDate?) -> String { day?.russian ?? "—" }

    /// `декабрь 2026`, `IV квартал 2026`, `2026 год` (Core's, which the CLI's tables use too).
    static func month(_ period: PlanPeriod) -> String { period.russianName }

    /// A document kind as people call it; kinds of the company's own are shown as configured.
    static func documentName(_ kind: String) -> String {
        switch kind {
        case "registration_extract": "Выписка из ЕГРЮЛ/ЕГРИП"
        case "bank_reference": "Справка из банка"
        case "dealer_agreement": "Дилерский договор"
        case "power_of_attorney": "Доверенность"
        case "tax_certificate": "Справка об отсутствии задолженности по налогам"
        default: kind
        }
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .admin: "Администратор"
        case .manager: "Менеджер"
        case .accountant: "Бухгалтер"
        case .integration: "Интеграция"
        case .viewer: "Наблюдатель"
        case .dealer: "Дилер"
        }
    }

    static func actStatus(_ status: ActStatus) -> String {
        switch status {
        case .generated: "Сформирован"
        case .sent: "Отправлен"
        case .confirmed: "Подтверждён"
        case .disputed: "Оспорен"
        case .outdated: "Заменён новой версией"
        }
    }

    static func jobStatus(_ status: JobRunStatus) -> String {
        switch status {
        case .scheduled: "в очереди"
        case .running: "выполняется"
        case .succeeded: "выполнено"
        case .failed: "ошибка"
        case .skipped: "пропущено"
        }
    }

    static func notificationStatus(_ status: NotificationStatus) -> String {
        switch status {
        case .pending: "в очереди"
        case .sent: "доставлено"
        case .exhausted: "не доставлено"
        }
    }

    static func deliveryStatus(_ status: WebhookDeliveryStatus) -> String {
        switch status {
        case .pending: "в очереди"
        case .delivered: "доставлено"
        case .exhausted: "не доставлено"
        case .failed: "не отправлено: подписка отключена"
        }
    }

    static func decision(_ decision: AccreditationEvaluation.Decision) -> String {
        switch decision {
        case .accredited: "Аккредитован"
        case .rejected: "Отказ"
        case .needsReview: "Нужно решение человека"
        }
    }

    /// A dunning level as a credit controller says it: «за 3 дня до срока», «в день срока», «просрочка 10 дней».
    static func dunningLevel(_ level: Int) -> String {
        level < 0 ? "за " + RussianText.days(-level) + " до срока" : level == 0 ? "в день срока" : "просрочка " + RussianText.days(level)
    }

    static func promiseStatus(_ status: PaymentPromise.Status) -> String {
        switch status {
        case .open: "действует"
        case .kept: "выполнено"
        case .broken: "нарушено"
        case .cancelled: "отменено"
        }
    }

    static func rhythmStatus(_ status: RhythmAssessment.Status) -> String {
        switch status {
        case .learning: "Мало истории"
        case .onRhythm: "В ритме"
        case .late: "Опаздывает"
        case .broken: "Ритм нарушен"
        }
    }

    static func documentKind(_ kind: LedgerEntryKind) -> String {
        switch kind {
        case .shipment: "Отгрузка"
        case .invoice: "Счёт"
        case .payment: "Оплата"
        case .return: "Возврат"
        case .adjustment: "Корректировка"
        }
    }
}
