import Foundation

extension NotificationDigest {
    /// The digest's figures as Russian text for its templates: a list per section (`limits`,
    /// `overdue`, `rhythm`, `acts`, `expiring`, `manager_plans`), a flag `any_<list>` for each one
    /// that has rows, and `<list>_more` when the weekly digest names only the worst of them.
    public func facts(managerName: String) -> MessageFacts {
        var facts = MessageFacts(title: kind == .morning ? "Утренняя сводка" : "Сводка отдела за неделю")
        facts.values["day"] = day.russian
        facts.values["recipient_name"] = managerName
        func money(_ minor: Int64, _ currency: Currency) -> String { RussianText.money(Money(minorUnits: minor, currency: currency)) }
        func dealer(_ dealer: DigestDealer) -> [String: String] { ["dealer_name": dealer.name, "dealer_code": dealer.code] }
        func add<Row>(_ name: String, _ section: Section<Row>, _ row: (Row) -> [String: String]) {
            facts.lists[name] = section.entries.map(row)
            guard !section.isEmpty else { return }
            facts.flags.insert("any_" + name)
            facts.values[name + "_total"] = "\(section.total)"
            if section.total > section.entries.count {
                facts.values[name + "_more"] = "ещё \(section.total - section.entries.count)"
            }
        }
        add("limits", limits) { Self.creditRow($0.dealer, $0.fact) }
        add("overdue", overdue) { Self.creditRow($0.dealer, $0.fact) }
        add("rhythm", rhythm) { Self.rhythmRow($0.dealer, $0.fact) }
        add("acts", acts) { entry in
            var row = dealer(entry.dealer)
            row["number"] = entry.fact.number
            row["period_to"] = entry.fact.periodTo.russian
            row["days_waiting"] = RussianText.days(entry.fact.daysWaiting)
            return row
        }
        add("expiring", expiring) { entry in
            var row = dealer(entry.dealer)
            row["what"] = entry.fact.documentKind.map { "документ «\($0)»" } ?? "аккредитация"
            row["last_valid_day"] = entry.fact.lastValidDay.russian
            row["days_left"] = entry.fact.daysLeft == 0 ? "последний день" : "через " + RussianText.days(entry.fact.daysLeft)
            return row
        }
        add("manager_plans", managerPlans) { line in
            [
                "manager_name": line.name, "plan": money(line.plan.planMinor, currency), "fact": money(line.plan.factMinor, currency),
                "fulfilment": line.plan.fulfillmentPercent.map { "\(Percent.rounded($0, places: 0))\u{00A0}%" } ?? "—",
            ]
        }
        if let plan, plan.planMinor > 0 {
            facts.flags.insert("has_plan")
            facts.values["plan"] = money(plan.planMinor, currency)
            facts.values["fact"] = money(plan.factMinor, currency)
            if let percent = plan.fulfillmentPercent { facts.values["fulfilment"] = "\(Percent.rounded(percent, places: 0))\u{00A0}%" }
            if let forecast = plan.forecastMinor {
                facts.flags.insert("has_forecast")
                facts.values["forecast"] = money(forecast, currency)
                if let percent = plan.forecastPercent { facts.values["forecast_percent"] = "\(Percent.rounded(percent, places: 0))\u{00A0}%" }
            }
        }
        if let balance = receivablesBalance, let overdue = receivablesOverdue {
            facts.flags.insert("has_receivables")
            facts.values["receivables"] = money(balance, currency)
            facts.values["receivables_overdue"] = money(overdue, currency)
        }
        return facts
    }

    /// A dealer's debt against its limit as the digests and the bot write it.
    public static func creditRow(_ dealer: DigestDealer, _ credit: DigestCredit) -> [String: String] {
        func money(_ minor: Int64) -> String { RussianText.money(Money(minorUnits: minor, currency: credit.currency)) }
        return [
            "dealer_name": dealer.name, "dealer_code": dealer.code, "balance": money(credit.balance),
            "limit": credit.limit.map(money) ?? "—", "utilisation": credit.utilisationPercent.map { "\($0)\u{00A0}%" } ?? "—",
            "state": credit.state == .breached ? "лимит превышен" : credit.state == .warning ? "близко к лимиту" : "в пределах лимита",
            "available": credit.limit.flatMap { limit in
                let (left, overflow) = limit.subtractingReportingOverflow(credit.balance)
                return overflow ? nil : money(max(0, left))
            } ?? "—",
            "overdue": money(credit.overdue), "days_overdue": RussianText.days(credit.daysOverdue),
        ]
    }

    /// A dealer's rhythm as the digests and the bot write it.
    public static func rhythmRow(_ dealer: DigestDealer, _ rhythm: DigestRhythm) -> [String: String] {
        [
            "dealer_name": dealer.name, "dealer_code": dealer.code,
            "state": rhythm.status == .broken ? "ритм сорван" : rhythm.status == .late ? "отгрузка запаздывает" : "в ритме",
            "days_late": RussianText.days(rhythm.daysLate), "last_shipment": rhythm.lastShipment?.russian ?? "не было",
        ]
    }
}
