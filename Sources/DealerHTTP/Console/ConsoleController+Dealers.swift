import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The dealer list with its search and filters, and the dealer card: profile and contacts, status
/// and accreditation decisions, receivables, rhythm, acts, events and the audit, from the same
/// store calls as the API. A manager under `auth.manager_scope: own` finds only his own dealers;
/// another's card is a 404.
extension ConsoleController {
    func dealerList(_ session: ConsoleSession, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query.get(name)?.trimmingCharacters(in: .whitespaces).nonEmpty }
        let status = text("status").flatMap(DealerStatus.init(rawValue:))
        var filter = DealerQuery(
            status: status, region: text("region"), segment: text("segment"), search: text("q"), limit: 50, cursor: text("cursor"))
        filter.visibility = DealerVisibility.of(session.user.caller, scope: api.managerScope)
        let page: Page<Dealer>
        do {
            page = try await store.dealers(matching: filter)
        } catch is ValidationError {
            // A cursor from another filter or a damaged link: start over from the first page.
            filter.cursor = nil
            page = try await store.dealers(matching: filter)
        }
        let managers = Dictionary(uniqueKeysWithValues: try await store.allManagers().map { ($0.id, $0.name) })
        if query.get("format") == "csv" {
            // Every dealer the filter finds, page after page, as the table shows them.
            var all = page.items
            var cursor = page.nextCursor
            while let next = cursor, all.count < 50_000 {
                filter.cursor = next
                filter.limit = PageSize.maximum
                let more = try await store.dealers(matching: filter)
                all += more.items
                cursor = more.nextCursor
            }
            let rows =
                [["КОД", "ДИЛЕР", "ИНН", "РЕГИОН", "СЕГМЕНТ", "МЕНЕДЖЕР", "СТАТУС"]]
                + all.map { dealer in
                    [
                        dealer.code, dealer.name, dealer.taxID.value, dealer.region ?? "", dealer.segment ?? "",
                        dealer.managerID.flatMap { managers[$0] } ?? "", dealer.status.russianName,
                    ]
                }
            return Self.csv(rows, name: "dealers.csv")
        }
        var next = "/dealers?"
        for (name, value) in [("q", filter.search), ("status", status?.rawValue), ("region", filter.region), ("segment", filter.segment)] {
            if let value { next += "\(name)=\(Self.encodedQuery(value))&" }
        }
        let view: [String: Any] = [
            "q": filter.search ?? "", "region": filter.region ?? "", "segment": filter.segment ?? "",
            "statuses": [["value": "", "label": "все", "selected": status == nil] as [String: Any]]
                + DealerStatus.allCases.map { ["value": $0.rawValue, "label": $0.russianName, "selected": $0 == status] as [String: Any] },
            "dealers": page.items.map { dealer in
                [
                    "id": dealer.id.lowercased, "code": dealer.code, "name": dealer.name, "inn": dealer.taxID.value,
                    "region": dealer.region ?? "—", "segment": dealer.segment ?? "—", "status": dealer.status.russianName,
                    "manager": dealer.managerID.flatMap { managers[$0] } ?? "—",
                ]
            },
            "any_dealers": !page.items.isEmpty,
            "next": page.nextCursor.map { next + "cursor=" + Self.encodedQuery($0) } ?? "",
            "csv": next + "format=csv",
        ]
        return pages.page("dealers", title: "Дилеры", view: view, session: session)
    }

    func dealerCard(_ session: ConsoleSession, request: Request, context: APIContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { return notFound(session) }
        let visibility = DealerVisibility.of(session.user.caller, scope: api.managerScope)
        guard try await store.isVisible(dealerID: id, to: visibility) else { return notFound(session) }
        let dealer = try await store.dealer(id: id)
        let today = store.calendar.today
        let managers = Dictionary(uniqueKeysWithValues: try await store.allManagers().map { ($0.id, $0.name) })
        let receivables = try await store.receivables(dealerID: id, defaults: api.credit, today: today)
        let rhythm = try await store.rhythm(dealerID: id, today: today, settings: api.rhythm)
        let decisions = try await store.accreditations(dealerID: id, page: PageRequest(limit: 20)).items
        let acts = try await store.acts(ActQuery(dealerID: id, limit: 12)).items
        let events = try await store.events(after: 0, types: [], dealerID: id, limit: 500).items.suffix(20).reversed()
        let audit = try await store.auditEntries(AuditQuery(entityType: "dealer", entityID: id.lowercased, limit: 20)).items
        let zone = store.calendar.timeZone
        var view = Self.positionView(receivables)
        view["dealer"] = [
            "id": id.lowercased, "code": dealer.code, "name": dealer.name, "legal_name": dealer.legalName, "inn": dealer.taxID.value,
            "kpp": dealer.kpp ?? "—", "region": dealer.region ?? "—", "city": dealer.city ?? "—", "segment": dealer.segment ?? "—",
            "status": dealer.status.russianName, "status_reason": dealer.statusReason ?? "",
            "manager": dealer.managerID.flatMap { managers[$0] } ?? "не назначен",
            "specialist": dealer.serviceSpecialistID.flatMap { managers[$0] } ?? "не назначен",
        ]
        view.merge(
            try await contactsView(
                dealer, base: "/dealers/\(id.lowercased)", canLink: Self.contactLinkers.contains(session.user.caller.role))
        ) { $1 }
        view["rhythm"] = [
            "status": ConsoleText.rhythmStatus(rhythm.assessment.status), "late": rhythm.assessment.status == .late,
            "last": ConsoleText.date(rhythm.assessment.lastShipment), "next": ConsoleText.date(rhythm.assessment.nextExpected),
            "interval": rhythm.assessment.expectedInterval.map { RussianText.days($0) } ?? "—",
            "explanation": rhythm.assessment.russianExplanation(settings: api.rhythm),
            "chart": RhythmChart.svg(rhythm.assessment, today: today),
        ]
        view["decisions"] = decisions.map { record in
            [
                "when": RussianText.instant(record.decidedAt, in: zone), "decision": ConsoleText.decision(record.decision),
                "score": ScorecardText.decimal(record.score) + " из " + ScorecardText.decimal(record.passMark),
                "by": record.decidedBy, "override": record.override?.reason ?? "", "valid_until": ConsoleText.date(record.validUntil),
            ]
        }
        view["any_decisions"] = !decisions.isEmpty
        view["acts"] = acts.map(Self.actRow)
        view["any_acts"] = !acts.isEmpty
        view["events"] = events.map { stored in
            [
                "when": RussianText.instant(stored.event.occurredAt, in: zone), "title": MessageFacts.title(stored.event.type),
                "type": stored.event.type.rawValue,
            ]
        }
        view["any_events"] = !events.isEmpty
        view["audit"] = audit.map { entry in
            ["when": RussianText.instant(entry.at, in: zone), "actor": entry.actor, "action": ConsoleText.auditAction(entry.action)]
        }
        view["any_audit"] = !audit.isEmpty
        view.merge(try await documentsView(dealerID: id)) { $1 }
        view.merge(try await disciplineView(dealerID: id)) { $1 }
        let policies = try await store.creditPolicyHistory(dealerID: id, page: PageRequest(limit: 10)).items
        view["policies"] = policies.map { change in
            [
                "when": RussianText.instant(change.changedAt, in: zone), "by": change.changedBy, "reason": change.reason,
                "limit": change.policy["limit"]?.stringValue.map { RussianText.money($0, currency: receivables.currency.code) } ?? "—",
                "term": change.policy["payment_term_days"].flatMap { value -> String? in
                    if case .number(let days) = value { return RussianText.days(NSDecimalNumber(decimal: days).intValue) }
                    return nil
                } ?? "—",
            ]
        }
        view["any_policies"] = !policies.isEmpty
        view["editable"] = Self.dealerEditors.contains(session.user.role)
        view["dunning"] = try await dunningView(dealerID: id, currency: receivables.currency, role: session.user.role)
        switch request.uri.queryParameters.get("done") {
        case "saved": view["flash"] = "Карточка сохранена."
        case "promised": view["flash"] = "Обещание оплаты записано: напоминания дилеру приостановлены до его даты."
        case "promise_cancelled": view["flash"] = "Обещание оплаты отменено: напоминания возобновятся со следующей рассылки."
        case "decided": view["flash"] = "Решение по аккредитации записано."
        case "telegram_unlinked": view["flash"] = "Telegram отключён: уведомления этому контакту снова приходят письмом."
        default: break
        }
        return pages.page("dealer", title: dealer.name, view: view, session: session)
    }

    /// A dealer's receivables as the card and the cabinet show them.
    static func positionView(_ receivables: DealerReceivables) -> [String: Any] {
        let currency = receivables.currency
        let position = receivables.position
        let limit = receivables.policy?.limit.minorUnits
        let available = limit.flatMap { ExactShare.difference($0, position.balance) }
        return [
            "as_of": position.asOf.russian,
            "balance": ConsoleText.money(position.balance, currency),
            "limit": limit.map { ConsoleText.money($0, currency) } ?? "не установлен",
            "available": available.map { ConsoleText.money($0, currency) } ?? "—",
            "over_limit": (available ?? 0) < 0,
            "overdue": ConsoleText.money(position.overdue, currency),
            "ageing": [
                ["label": "Не просрочено", "amount": ConsoleText.money(position.ageing.current, currency)],
                ["label": "1–30 дней", "amount": ConsoleText.money(position.ageing.days1to30, currency)],
                ["label": "31–60 дней", "amount": ConsoleText.money(position.ageing.days31to60, currency)],
                ["label": "61–90 дней", "amount": ConsoleText.money(position.ageing.days61to90, currency)],
                ["label": "Более 90 дней", "amount": ConsoleText.money(position.ageing.over90, currency)],
            ],
            "documents": position.openDocuments.map { document in
                [
                    "kind": ConsoleText.documentKind(document.kind), "number": document.documentNumber,
                    "date": document.documentDate.russian, "due": document.dueDate.russian,
                    "amount": ConsoleText.money(document.amount, currency), "open": ConsoleText.money(document.open, currency),
                    "days_overdue": document.daysOverdue, "overdue": document.daysOverdue > 0,
                ] as [String: Any]
            },
            "any_documents": !position.openDocuments.isEmpty,
        ]
    }

    /// A dealer's documents on file with their expiry: expired, and expiring within 30 days, marked.
    func documentsView(dealerID: UUID) async throws -> [String: Any] {
        let documents = try await store.documents(dealerID: dealerID, page: PageRequest(limit: 100)).items
        let today = store.calendar.today
        return [
            "documents_on_file": documents.map { document in
                let daysLeft = document.expires.map { $0.days(since: today) }
                return [
                    "name": ConsoleText.documentName(document.kind), "number": document.number ?? "—",
                    "issued": ConsoleText.date(document.issued), "expires": document.expires.map(\.russian) ?? "бессрочно",
                    "expired": (daysLeft ?? 1) < 0, "expiring": daysLeft.map { (0...30).contains($0) } ?? false,
                ] as [String: Any]
            },
            "any_documents_on_file": !documents.isEmpty,
        ]
    }

    static func actRow(_ act: ReconciliationAct) -> [String: Any] {
        [
            "id": act.id.lowercased, "number": act.number, "from": act.statement.from.russian, "to": act.statement.to.russian,
            "closing": ConsoleText.money(act.statement.closingMinor, Currency(code: act.statement.currency) ?? .rub),
            "status": ConsoleText.actStatus(act.status), "answerable": act.status == .generated || act.status == .sent,
        ]
    }

    static func encodedQuery(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? ""
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
