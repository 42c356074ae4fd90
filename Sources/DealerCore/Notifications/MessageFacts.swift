import Foundation

/// What a message about an event says, as Russian text ready for a template: the event's figures
/// formatted (`1 050 000 ₽`, `105 %`, `12 дней`, `01.12.2026`) under snake_case names, and flags for
/// the template's sections. Templates hold the wording; this holds the numbers.
public struct MessageFacts: Sendable, Equatable {
    /// A headline for the event type, used by the fallback template and as the e-mail subject there.
    public var title: String
    public var values: [String: String]
    public var flags: Set<String>
    /// Rows for a template's repeated sections (a digest's lists), each row its own values.
    public var lists: [String: [[String: String]]]

    public init(title: String, values: [String: String] = [:], flags: Set<String> = [], lists: [String: [[String: String]]] = [:]) {
        self.title = title
        self.values = values
        self.flags = flags
        self.lists = lists
    }

    /// The facts of `event`; an event whose payload cannot be read still gets its title and time.
    /// `currency` is the company's, for payloads whose amounts are in it (plans, acts).
    public static func of(_ event: DomainEvent, dealer: Dealer?, timeZone: TimeZone, currency: Currency = .rub) -> MessageFacts {
        var facts = MessageFacts(title: title(event.type))
        facts.values["occurred_at"] = RussianText.instant(event.occurredAt, in: timeZone)
        if let dealer {
            facts.values["dealer_name"] = dealer.name
            facts.values["dealer_code"] = dealer.code
            if let region = dealer.region { facts.values["dealer_region"] = region }
        }
        facts.add(event, timeZone: timeZone, currency: currency.code)
        return facts
    }

    private mutating func add(_ event: DomainEvent, timeZone: TimeZone, currency: String) {
        switch event.type {
        case .creditLimitWarning, .creditLimitBreached, .creditLimitRestored, .creditOverdue, .creditOverdueCleared:
            guard let credit = try? event.payload(as: CreditStateChanged.self) else { return }
            values["balance"] = RussianText.money(credit.balance, currency: credit.currency)
            if let limit = credit.limit {
                values["limit"] = RussianText.money(limit, currency: credit.currency)
                flags.insert("has_limit")
                if let share = RussianText.percent(credit.balance, of: limit) { values["utilisation"] = share }
            }
            values["overdue"] = RussianText.money(credit.overdue, currency: credit.currency)
            values["days_overdue"] = RussianText.days(credit.daysOverdue)
            values["as_of"] = credit.asOf.russian
            if credit.overdue != "0" && credit.daysOverdue > 0 { flags.insert("has_overdue") }
            if credit.reminder { flags.insert("reminder") }
        case .creditShipmentBlocked:
            guard let blocked = try? event.payload(as: ShipmentBlocked.self) else { return }
            let check = blocked.check
            values["requested"] = RussianText.money(check.requested, currency: check.currency)
            values["balance"] = RussianText.money(check.balance, currency: check.currency)
            values["exposure"] = RussianText.money(check.exposure, currency: check.currency)
            if let limit = check.limit {
                values["limit"] = RussianText.money(limit, currency: check.currency)
                flags.insert("has_limit")
            }
            if let available = check.availableAfter {
                values["available_after"] = RussianText.money(available, currency: check.currency)
            }
            values["overdue"] = RussianText.money(check.overdue, currency: check.currency)
            values["days_overdue"] = RussianText.days(check.daysOverdue)
            if check.daysOverdue > 0 { flags.insert("has_overdue") }
            let reasons = check.reasons.filter { $0.decision == .block }.map(\.message)
            if !reasons.isEmpty { values["reasons"] = reasons.joined(separator: "; ") }
            values["requested_by"] = blocked.requestedBy
        case .creditPaymentReminder:
            guard let reminder = try? event.payload(as: PaymentReminder.self) else { return }
            addReminder(reminder)
        case .creditPromiseKept, .creditPromiseBroken:
            guard let promise = try? event.payload(as: PromiseSettled.self) else { return }
            values["amount"] = RussianText.money(promise.amount, currency: promise.currency)
            values["paid"] = RussianText.money(promise.paid, currency: promise.currency)
            values["promised_on"] = promise.promisedOn.russian
            values["made_on"] = promise.madeOn.russian
            values["made_by"] = promise.madeBy
            if let note = promise.note { values["note"] = note }
            values["balance"] = RussianText.money(promise.balance, currency: promise.currency)
            values["overdue"] = RussianText.money(promise.overdue, currency: promise.currency)
            if Self.isPositive(promise.overdue) { flags.insert("has_overdue") }
        case .rhythmLate, .rhythmRestored:
            guard let rhythm = try? event.payload(as: RhythmChanged.self) else { return }
            if let days = rhythm.daysSinceLast { values["days_since_last"] = RussianText.days(days) }
            if let interval = rhythm.expectedIntervalDays { values["expected_interval"] = RussianText.days(interval) }
            if let last = rhythm.lastShipment { values["last_shipment"] = last.russian }
            values["days_late"] = RussianText.days(rhythm.daysLate)
            if rhythm.status == .broken { flags.insert("broken") }
        case .planBehind:
            guard let plan = try? event.payload(as: PlanBehind.self) else { return }
            values["period"] = plan.period
            values["plan"] = RussianText.money(plan.plan, currency: currency)
            values["fact"] = RussianText.money(plan.fact, currency: currency)
            values["forecast"] = RussianText.money(plan.forecast, currency: currency)
            if let percent = plan.forecastPercent { values["forecast_percent"] = ScorecardText.decimal(percent) + "\u{00A0}%" }
        case .accreditationExpiring, .accreditationExpired:
            guard let notice = try? event.payload(as: ExpiryNotice.self) else { return }
            flags.insert(notice.subject == .accreditation ? "accreditation" : "document")
            if let until = notice.validUntil ?? notice.expires { values["until"] = until.russian }
            if let kind = notice.kind { values["document_kind"] = kind }
            values["days_left"] = RussianText.days(notice.daysLeft)
            if notice.action == .suspended { flags.insert("suspended") }
        case .reconciliationActGenerated:
            guard let act = try? event.payload(as: ActGenerated.self) else { return }
            values["act_number"] = act.number
            values["period"] = act.periodFrom.russian + "–" + act.periodTo.russian
            values["closing"] = RussianText.money(act.closing, currency: currency)
        case .reconciliationActConfirmed, .reconciliationActDisputed:
            guard let act = try? event.payload(as: ActAnswered.self) else { return }
            values["act_number"] = act.number
            values["period"] = act.periodFrom.russian + "–" + act.periodTo.russian
            values["discrepancies"] = RussianText.plural(act.discrepancies, "строка", "строки", "строк")
            values["answered_by"] = act.answeredBy
        case .reconciliationActOverdue:
            guard let act = try? event.payload(as: ActOverdue.self) else { return }
            values["act_number"] = act.number
            values["period"] = act.periodFrom.russian + "–" + act.periodTo.russian
            values["generated_at"] = RussianText.instant(act.generatedAt, in: timeZone)
            values["answer_within"] = RussianText.days(act.answerWithinDays)
        case .jobFailed:
            guard let job = try? event.payload(as: JobFailed.self) else { return }
            values["job"] = job.job
            values["error"] = job.error
            values["attempts"] = String(job.attempts)
            values["tick"] = RussianText.instant(job.tick, in: timeZone)
        case .webhookEndpointDisabled:
            guard let endpoint = try? event.payload(as: EndpointDisabled.self) else { return }
            values["url"] = endpoint.url
            values["reason"] = endpoint.reason
        case .dealerStatusChanged:
            guard let change = try? event.payload(as: DealerStatusChanged.self) else { return }
            values["from"] = change.from.russianName
            values["to"] = change.to.russianName
            values["reason"] = change.reason
        case .dealerCreated, .dealerUpdated, .managerCreated, .managerUpdated, .accreditationDecided, .kpiPeriodClosed, .webhookPing,
            .dealWon, .dealLost, .dealStalled:
            return
        }
    }

    /// A payment reminder's documents as rows, its stage as a flag (`stage_before_due`,
    /// `stage_due_today`, `stage_overdue`) and the dealer's position beside them.
    private mutating func addReminder(_ reminder: PaymentReminder) {
        let currency = reminder.currency
        flags.insert("stage_" + reminder.stage.rawValue)
        values["as_of"] = reminder.asOf.russian
        values["total"] = RussianText.money(reminder.total, currency: currency)
        values["balance"] = RussianText.money(reminder.balance, currency: currency)
        values["overdue"] = RussianText.money(reminder.overdue, currency: currency)
        if Self.isPositive(reminder.overdue) { flags.insert("has_overdue") }
        if let limit = reminder.limit {
            values["limit"] = RussianText.money(limit, currency: currency)
            flags.insert("has_limit")
        }
        if let available = reminder.available { values["available"] = RussianText.money(available, currency: currency) }
        if let first = reminder.documents.map(\.dueDate).min() { values["due_date"] = first.russian }
        lists["documents"] = reminder.documents.map { document in
            var row = [
                "number": document.number, "document_date": document.documentDate.russian, "due_date": document.dueDate.russian,
                "amount": RussianText.money(document.amount, currency: currency), "open": RussianText.money(document.open, currency: currency),
            ]
            row["term"] =
                document.daysPastDue > 0
                ? "просрочен на " + RussianText.days(document.daysPastDue)
                : document.daysPastDue == 0 ? "срок оплаты сегодня" : "срок через " + RussianText.days(-document.daysPastDue)
            return row
        }
    }

    /// Whether a payload's decimal text is more than zero ("0.00" is not).
    static func isPositive(_ decimal: String) -> Bool {
        (Decimal(string: decimal, locale: Locale(identifier: "en_US_POSIX")) ?? 0) > 0
    }

    /// A headline per event type, in Russian.
    public static func title(_ type: EventType) -> String {
        switch type {
        case .dealerCreated: "Новый дилер"
        case .dealerUpdated: "Карточка дилера изменена"
        case .dealerStatusChanged: "Статус дилера изменён"
        case .managerCreated: "Новый менеджер"
        case .managerUpdated: "Карточка менеджера изменена"
        case .accreditationDecided: "Решение по аккредитации"
        case .accreditationExpiring: "Истекает аккредитация"
        case .accreditationExpired: "Аккредитация истекла"
        case .creditLimitWarning: "Долг приближается к лимиту"
        case .creditLimitBreached: "Превышен кредитный лимит"
        case .creditLimitRestored: "Долг вернулся в лимит"
        case .creditOverdue: "Просроченная задолженность"
        case .creditOverdueCleared: "Просрочка погашена"
        case .creditShipmentBlocked: "Отгрузка заблокирована"
        case .creditPaymentReminder: "Напоминание об оплате"
        case .creditPromiseKept: "Обещание оплаты выполнено"
        case .creditPromiseBroken: "Обещание оплаты нарушено"
        case .rhythmLate: "Нарушен ритм отгрузок"
        case .rhythmRestored: "Ритм отгрузок восстановлен"
        case .planBehind: "Отставание от плана продаж"
        case .reconciliationActGenerated: "Акт сверки сформирован"
        case .reconciliationActConfirmed: "Акт сверки подтверждён"
        case .reconciliationActDisputed: "Акт сверки оспорен"
        case .reconciliationActOverdue: "Нет ответа по акту сверки"
        case .kpiPeriodClosed: "Период KPI закрыт"
        case .dealWon: "Сделка выиграна"
        case .dealLost: "Сделка проиграна"
        case .dealStalled: "Сделка застряла на этапе"
        case .jobFailed: "Сбой задания"
        case .webhookEndpointDisabled: "Вебхук отключён"
        case .webhookPing: "Проверка вебхука"
        }
    }
}

extension DealerStatus {
    /// As the sales department says it.
    public var russianName: String {
        switch self {
        case .prospect: "потенциальный"
        case .applicant: "кандидат"
        case .accredited: "аккредитован"
        case .suspended: "приостановлен"
        case .terminated: "прекращено сотрудничество"
        }
    }
}
