import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The sales funnel: deals pushed by the CRM or the ERP (an integration key, or an admin's),
/// idempotent by the CRM's id like the ledger, and the funnel they make per manager and period.
/// A manager key reads its own deals and funnel; bound to the head of sales, the department's.
struct DealsController {
    let store: Store
    let settings: APISettings

    static let writers: Set<Role> = [.admin, .integration]
    static let readers: Set<Role> = [.admin, .integration, .manager, .viewer]

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/deals", .roles(Self.writers)) { request, context in
                let body = try await JSONBody.decode(DealRequest.self, from: request, limit: settings.maxBodyBytes)
                let draft = try body.draft(prefix: "")
                let result = try await store.recordDeals(
                    [draft], settings: settings.deals, currency: settings.credit.currency, prefix: { _ in "" }, by: try context.caller)[0]
                return try JSONBody.response(
                    try JSONValueEncoder().encode(DealWriteBody(result, settings: settings.deals, today: store.calendar.today)),
                    status: result.outcome == .created ? .created : .ok)
            },
            APIRoute(.post, "/v1/deals/batch", .roles(Self.writers)) { request, context in
                let body = try await JSONBody.decode(
                    DealBatchRequest.self, from: request, limit: max(settings.maxBodyBytes, settings.maxImportBytes),
                    setting: "receivables.max_import_bytes")
                let drafts = try Self.batchDrafts(body, max: settings.maxBatchEntries)
                let results = try await store.recordDeals(
                    drafts, settings: settings.deals, currency: settings.credit.currency, prefix: { "deals[\($0)]." }, by: try context.caller)
                return try JSONBody.response(try JSONValueEncoder().encode(DealBatchBody(results)))
            },
            APIRoute(.get, "/v1/deals", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let managers = try await store.allManagers()
                let offset = try query.int("cursor") ?? 0
                guard offset >= 0 else { throw ValidationError(field: "cursor", "the previous page's next_cursor") }
                let deals = DealQuery(
                    managerID: try Self.scopedManager(query, caller: context.actor, managers: managers), dealerID: try query.uuid("dealer_id"),
                    status: try query.oneOf("status", DealStatus.self), stage: query.string("stage")?.trimmedNonEmpty, offset: offset,
                    limit: try query.limit())
                let page = try await store.deals(deals)
                let today = store.calendar.today
                return try JSONBody.response(
                    try JSONValueEncoder().encode(
                        ListResponse(
                            items: page.items.map { DealBody($0, settings: settings.deals, today: today) },
                            nextCursor: page.more ? String(offset + deals.limit) : nil)))
            },
            APIRoute(.get, "/v1/deals/{id}", .roles(Self.readers)) { _, context in
                let id = try context.uuidParameter(entity: "deal")
                let deal = try await store.deal(id: id)
                // Another manager's deal does not exist for a manager key that is not the head's.
                if let own = try Self.ownScope(caller: context.actor, managers: try await store.allManagers()), own != deal.managerID {
                    throw DomainError.notFound(entity: "deal", id: id.lowercased)
                }
                return try JSONBody.response(try JSONValueEncoder().encode(DealBody(deal, settings: settings.deals, today: store.calendar.today)))
            },
            APIRoute(.get, "/v1/funnel", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                let period = try ScorecardsController.period(query, today: store.calendar.today)
                let managers = try await store.allManagers()
                let managerID = try Self.scopedManager(query, caller: context.actor, managers: managers)
                let funnel = try await store.funnel(period: period, managerID: managerID, settings: settings.deals)
                return try JSONBody.response(
                    try JSONValueEncoder().encode(FunnelBody(funnel, managerID: managerID, currency: settings.credit.currency)))
            },
        ]
    }

    /// The manager a list or funnel is about: `manager` (id or e-mail) when given; for a manager key
    /// not bound to the head, always its own, and naming another is refused.
    static func scopedManager(_ query: QueryParameters, caller: Caller?, managers: [Manager]) throws -> UUID? {
        var managerID: UUID?
        if let text = query.string("manager")?.trimmedNonEmpty {
            guard let manager = KPIValuesController.manager(text, in: managers) else {
                throw ValidationError(field: "manager", "no manager with the id or e-mail \(text)")
            }
            managerID = manager.id
        }
        if let own = try ownScope(caller: caller, managers: managers) {
            if let managerID, managerID != own {
                throw DomainError.forbidden(message: "a manager key reads its own deals; the head of sales' key reads everyone's")
            }
            return own
        }
        return managerID
    }

    /// The one manager a manager key may read, or nil when it reads everyone (any other role, or
    /// the head of sales).
    static func ownScope(caller: Caller?, managers: [Manager]) throws -> UUID? {
        guard let caller, caller.role == .manager else { return nil }
        guard let own = caller.managerID, let me = managers.first(where: { $0.id == own }), me.active else {
            throw DomainError.forbidden(
                message: "a manager key must be bound to an active manager to read deals (dealerd apikey create --manager EMAIL)")
        }
        return me.role == .head ? nil : own
    }

    /// Parsed outside the async handler (see ManagersController).
    static func batchDrafts(_ body: DealBatchRequest, max: Int) throws -> [DealDraft] {
        guard let deals = body.deals, !deals.isEmpty else { throw ValidationError(field: "deals", "required: at least one deal") }
        guard deals.count <= max else { throw ValidationError(field: "deals", "at most \(max) deals per batch; split it") }
        var issues = ValidationCollector()
        var drafts: [DealDraft] = []
        for (index, deal) in deals.enumerated() {
            do {
                drafts.append(try deal.draft(prefix: "deals[\(index)]."))
            } catch let error as ValidationError {
                for issue in error.issues { issues.add(issue.field, issue.message) }
            }
        }
        try issues.check()
        return drafts
    }
}

/// A deal as the CRM sends it.
struct DealRequest: Decodable {
    var externalID: String?
    var dealerID: String?
    var dealerCode: String?
    var prospect: String?
    var manager: String?
    var amount: AmountText?
    var currency: String?
    var stage: String?
    var status: String?
    var openedOn: String?
    var closedOn: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case prospect, manager, amount, currency, stage, status, reason
        case externalID = "external_id"
        case dealerID = "dealer_id"
        case dealerCode = "dealer_code"
        case openedOn = "opened_on"
        case closedOn = "closed_on"
    }

    func draft(prefix: String) throws -> DealDraft {
        var dealer: DealerReference?
        if let text = dealerID?.trimmedNonEmpty {
            guard let id = UUID(uuidString: text) else { throw ValidationError(field: prefix + "dealer_id", "expected a UUID") }
            dealer = .id(id)
        } else if let code = dealerCode?.trimmedNonEmpty {
            dealer = .code(code)
        }
        return DealDraft(
            externalID: externalID, dealer: dealer, prospect: prospect, manager: manager, amount: amount?.text, currency: currency,
            stage: stage, status: status, openedOn: openedOn, closedOn: closedOn, reason: reason)
    }
}

struct DealBatchRequest: Decodable {
    var deals: [DealRequest]?
}
