import DealerCore
import Foundation

/// How the console writes figures for Russian readers: `1 234 567,89 ₽`, `01.12.2026`.
enum ConsoleText {
    static func money(_ minor: Int64, _ currency: Currency) -> String {
        Money(minorUnits: minor, currency: currency).russianText + "\u{00A0}" + (currency == .rub ? "₽" : currency.code)
    }

    static func date(_ day: CivilDate?) -> String { day?.russian ?? "—" }

    /// An audit record's action as the card's change log says it; one without a name here shows as stored.
    static func auditAction(_ action: String) -> String { auditActions[action] ?? action }

    private static let auditActions: [String: String] = [
        "accreditation.decide": "решение об аккредитации", "accreditation.override": "решение об аккредитации вопреки профилю",
        "apikey.create": "выпущен ключ API", "apikey.revoke": "отозван ключ API",
        "credit_policy.segment_default": "условия сегмента по умолчанию", "credit_policy.set": "изменены лимит и отсрочка",
        "dealer.create": "дилер заведён", "dealer.update": "изменена карточка", "dealer.status_change": "изменён статус",
        "deals.recorded": "загружены сделки", "document.add": "добавлен документ", "document.replace": "заменён документ",
        "job.run_requested": "задание запущено вручную", "kpi_targets.import": "загружены цели KPI", "kpi_targets.set": "изменены цели KPI",
        "kpi_value.removed": "удалено значение KPI", "kpi_value.set": "записано значение KPI", "kpi_values.import": "загружены значения KPI",
        "manager.create": "заведён менеджер", "manager.update": "изменён менеджер", "notification.redeliver": "уведомление отправлено повторно",
        "notification_mute.add": "уведомления приостановлены", "notification_mute.remove": "уведомления возобновлены",
        "plan.import": "загружен план продаж", "plan.set": "изменён план продаж", "promise.record": "записано обещание оплаты",
        "promise.cancel": "обещание оплаты отменено", "rhythm.set_interval": "задан интервал отгрузок",
        "secrets.reseal": "секреты перешифрованы", "telegram.link": "привязан чат Telegram", "telegram.unlink": "отвязан чат Telegram",
        "user.create": "заведена учётная запись", "user.link": "выдана ссылка для входа", "user.locked": "вход временно заблокирован",
        "user.password_set": "задан пароль", "user.sign_in": "вход", "user.sign_out": "выход",
        "webhook_delivery.redeliver": "вебхук отправлен повторно", "webhook_endpoint.create": "добавлен адрес вебхуков",
        "webhook_endpoint.delete": "удалён адрес вебхуков", "webhook_endpoint.disable": "адрес вебхуков отключён",
        "webhook_endpoint.recover": "адрес вебхуков снова включён", "webhook_endpoint.rotate_secret": "сменён секрет вебхуков",
        "webhook_endpoint.update": "изменён адрес вебхуков",
    ]

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
        case .withdrawn: "отозвано"
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
