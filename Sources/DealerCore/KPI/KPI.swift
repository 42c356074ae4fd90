import Foundation

/// The indicators dealerd computes from its own data for a manager and a period. Each one's formula
/// is in `KPIFacts.compute`; its unit says how its fact and target are written (roubles as exact
/// decimals, percents to one decimal, counts).
public enum KPI: String, Sendable, Codable, CaseIterable {
    /// Shipments net of returns of the manager's dealers, by document date.
    case salesVolume = "sales_volume"
    /// The same for dealers first accredited in the twelve months up to the period's end.
    case newPartnerSales = "new_partner_sales"
    /// The department's sales ÷ its active new- and existing-clients managers (the head's KPI).
    case salesPerManager = "sales_per_manager"
    /// Sales against the same period a year earlier, in % of change.
    case growth
    /// Sales in % of the dealers' plans.
    case planFulfilment = "plan_fulfilment"
    /// Payments received in the period ÷ receivables at its start, in %.
    case paymentsToReceivables = "payments_to_receivables"
    /// Share of dealers with a limit whose balance at the period's end is within it, in %.
    case withinLimitShare = "within_limit_share"
    /// Overdue part of the receivables at the period's end, in % (lower is better).
    case overdueShare = "overdue_share"
    /// Share of accredited dealers with a known rhythm that are on it, as last checked, in %.
    case rhythmShare = "rhythm_share"
    /// Dealers first accredited in the period.
    case newDealers = "new_dealers"
    /// Of those, the share accredited by the profile's own verdict, without an override, in %.
    case profileCompliance = "profile_compliance"
    /// Acts for periods ending in the period that were made on time, in %.
    case actTimeliness = "act_timeliness"
    /// Accredited dealers the specialist serves.
    case dealersServed = "dealers_served"
    /// Deals in work at the period's end (`Funnel`).
    case dealsInWork = "deals_in_work"
    /// The won amount ÷ deals won in the period.
    case averageDealSize = "average_deal_size"
    /// Deals won ÷ deals closed in the period, in %.
    case winRate = "win_rate"
    /// The median days from opening to the win of deals won in the period (lower is better).
    case daysToClose = "days_to_close"

    // What dealerd cannot see: pushed per manager and period by the telephony, the CRM or the head
    // of sales (`ExternalKPIValue`), shown with their source.
    /// Outgoing calls made.
    case calls
    /// Calls that reached a person, in % of calls.
    case reachRate = "reach_rate"
    /// Conversations with a decision-maker (ЛПР).
    case decisionMakerContacts = "decision_maker_contacts"
    /// Contacts with regular clients (calls, visits, letters that got an answer).
    case regularClientContacts = "regular_client_contacts"
    /// Meetings held.
    case meetings
    /// Customer satisfaction index from the survey, in %.
    case csi
    /// CRM quality as the head of sales audits it, in %.
    case crmQuality = "crm_quality"

    public enum Unit: String, Sendable, Codable {
        case money, percent, count
    }

    public var unit: Unit {
        switch self {
        case .salesVolume, .newPartnerSales, .salesPerManager, .averageDealSize: .money
        case .newDealers, .dealersServed, .calls, .decisionMakerContacts, .regularClientContacts, .meetings, .dealsInWork, .daysToClose: .count
        default: .percent
        }
    }

    /// Pushed from outside (`PUT /v1/kpi/values/…`, the CSV import) rather than computed from
    /// dealerd's own data.
    public var isExternal: Bool {
        switch self {
        case .calls, .reachRate, .decisionMakerContacts, .regularClientContacts, .meetings, .csi, .crmQuality: true
        default: false
        }
    }

    /// For an inverted curve: a smaller fact is the better one.
    public var lowerIsBetter: Bool { self == .overdueShare || self == .daysToClose }

    /// The name people read on a scorecard.
    public var title: String {
        switch self {
        case .salesVolume: "Объём продаж"
        case .newPartnerSales: "Продажи новым партнёрам"
        case .salesPerManager: "Продажи на менеджера"
        case .growth: "Рост к прошлому году"
        case .planFulfilment: "Выполнение плана"
        case .paymentsToReceivables: "Оплаты к дебиторской задолженности"
        case .withinLimitShare: "Дилеры в пределах лимита"
        case .overdueShare: "Доля просроченной задолженности"
        case .rhythmShare: "Дилеры в ритме отгрузок"
        case .newDealers: "Новые аккредитованные дилеры"
        case .profileCompliance: "Соответствие профилю идеального дилера"
        case .actTimeliness: "Своевременность актов сверки"
        case .dealersServed: "Обслуживаемые дилеры"
        case .dealsInWork: "Сделки в работе"
        case .averageDealSize: "Средний размер сделки"
        case .winRate: "Доля выигранных сделок"
        case .daysToClose: "Дней до закрытия сделки"
        case .calls: "Звонки"
        case .reachRate: "Дозвон"
        case .decisionMakerContacts: "Контакты с ЛПР"
        case .regularClientContacts: "Контакты с постоянными клиентами"
        case .meetings: "Встречи"
        case .csi: "Удовлетворённость клиентов (CSI)"
        case .crmQuality: "Качество ведения CRM"
        }
    }
}
