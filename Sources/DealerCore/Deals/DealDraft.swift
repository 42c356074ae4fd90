import Foundation

/// A deal as the CRM sends it, before it is checked; the dealer and the manager are resolved by
/// the store first (by id, code or e-mail). Field paths in errors are prefixed with `prefix`
/// (`deals[3].`) so a batch names the deal at fault.
public struct DealDraft: Sendable, Equatable {
    public var externalID: String?
    /// The dealer by id or code; nil for a prospect.
    public var dealer: DealerReference?
    public var prospect: String?
    /// The manager's id or e-mail.
    public var manager: String?
    public var amount: String?
    public var currency: String?
    public var stage: String?
    public var status: String?
    public var openedOn: String?
    public var closedOn: String?
    public var reason: String?

    public init(
        externalID: String? = nil, dealer: DealerReference? = nil, prospect: String? = nil, manager: String? = nil,
        amount: String? = nil, currency: String? = nil, stage: String? = nil, status: String? = nil, openedOn: String? = nil,
        closedOn: String? = nil, reason: String? = nil
    ) {
        self.externalID = externalID
        self.dealer = dealer
        self.prospect = prospect
        self.manager = manager
        self.amount = amount
        self.currency = currency
        self.stage = stage
        self.status = status
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.reason = reason
    }

    /// The deal, with the dealer (nil for a prospect) and the manager resolved; `today` in the
    /// company's time zone bounds its dates, `stageSince` is the day its stage counts from.
    public func validated(
        id: UUID, dealerID resolvedDealer: UUID?, managerID: UUID?, currency contractCurrency: Currency, settings: DealSettings,
        today: CivilDate, stageSince: CivilDate, now: Date, prefix: String = ""
    ) throws(ValidationError) -> Deal {
        var issues = ValidationCollector()
        func field(_ name: String) -> String { prefix + name }
        let externalID = externalID?.trimmedNonEmpty
        if externalID == nil { issues.add(field("external_id"), "required: the CRM's deal id") }
        if let externalID, externalID.count > 200 { issues.add(field("external_id"), "at most 200 characters") }
        let prospect = prospect?.trimmedNonEmpty
        if let prospect, prospect.count > 300 { issues.add(field("prospect"), "at most 300 characters") }
        if resolvedDealer == nil && prospect == nil && dealer == nil {
            issues.add(field("dealer_id"), "name the dealer by dealer_id or dealer_code, or the prospect by prospect")
        }
        if dealer != nil && prospect != nil {
            issues.add(field("prospect"), "a deal is with a dealer or with a prospect, not both")
        }
        if managerID == nil && manager?.trimmedNonEmpty == nil { issues.add(field("manager"), "required: the manager's id or e-mail") }
        if let code = currency?.trimmedNonEmpty, code.uppercased() != contractCurrency.code {
            issues.add(field("currency"), "deals are in \(contractCurrency.code), not \(code.uppercased())")
        }
        var money: Money?
        if let text = amount?.trimmedNonEmpty {
            do {
                money = try Money(parsing: text, currency: contractCurrency)
                if let value = money, value.minorUnits <= 0 { issues.add(field("amount"), "positive: what the deal is worth") }
            } catch {
                issues.add(field("amount"), error.description)
            }
        } else {
            issues.add(field("amount"), "required: a decimal amount such as 1250000.00")
        }
        let stage = stage?.trimmedNonEmpty
        if stage == nil || settings.index(of: stage ?? "") == nil {
            issues.add(field("stage"), "one of: \(settings.stages.map(\.key).joined(separator: ", "))")
        }
        var status = DealStatus.open
        if let text = self.status?.trimmedNonEmpty {
            if let parsed = DealStatus(rawValue: text) {
                status = parsed
            } else {
                issues.add(field("status"), "one of: \(DealStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let opened = openedOn.flatMap(CivilDate.init(parsing:))
        if opened == nil { issues.add(field("opened_on"), "required: a date such as 2026-11-02 or 02.11.2026") }
        if let opened, opened > today { issues.add(field("opened_on"), "in the future (today is \(today.iso))") }
        var closed: CivilDate?
        if let text = closedOn?.trimmedNonEmpty {
            closed = CivilDate(parsing: text)
            if closed == nil { issues.add(field("closed_on"), "a date such as 2026-11-20 or 20.11.2026") }
            if status == .open { issues.add(field("closed_on"), "only a won or lost deal is closed") }
            if let closed, let opened, closed < opened { issues.add(field("closed_on"), "before opened_on") }
            if let closed, closed > today { issues.add(field("closed_on"), "in the future (today is \(today.iso))") }
        } else if status != .open {
            issues.add(field("closed_on"), "required for a \(status.rawValue) deal: the day it was decided")
        }
        let reason = reason?.trimmedNonEmpty
        if status == .lost && reason == nil { issues.add(field("reason"), "required for a lost deal: why it was lost") }
        if let reason, reason.count > 1000 { issues.add(field("reason"), "at most 1000 characters") }
        try issues.check()
        guard let externalID, let money, let stage, let opened, let managerID else { throw issues.unreachable(field("manager")) }
        return Deal(
            id: id, externalID: externalID, dealerID: resolvedDealer, prospect: resolvedDealer == nil ? prospect : nil, managerID: managerID,
            amount: money, stage: stage, status: status, openedOn: opened, closedOn: closed, reason: reason, stageSince: stageSince,
            createdAt: now, updatedAt: now)
    }
}
