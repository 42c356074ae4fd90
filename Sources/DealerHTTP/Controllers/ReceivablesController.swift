import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The receivables ledger from the ERP, credit terms, a dealer's position and the credit check.
struct ReceivablesController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/dealers/{id}/ledger", .roles(.ledgerWriters)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(LedgerEntryRequest.self, from: request, limit: settings.maxBodyBytes)
                let result = try await store.recordLedgerEntries(
                    [(.id(id), body.draft)], correcting: false, defaults: settings.credit, today: store.calendar.today, prefix: { _ in "" },
                    by: try context.caller)[0]
                return try JSONBody.response(LedgerWriteResponse(result: result), status: result.outcome == .created ? .created : .ok)
            },
            APIRoute(.get, "/v1/dealers/{id}/ledger", .roles(.staff)) { request, context in
                let page = try await store.ledgerEntries(
                    dealerID: try context.uuidParameter(entity: "dealer"), page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.put, "/v1/dealers/{id}/ledger/{external_id}", .roles(.ledgerWriters)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let externalID = context.parameters.get("external_id") ?? ""
                var body = try await JSONBody.decode(LedgerEntryRequest.self, from: request, limit: settings.maxBodyBytes)
                if let sent = body.externalID, sent != externalID {
                    throw ValidationError(field: "external_id", "differs from the document in the path (\(externalID))")
                }
                body.externalID = externalID
                let result = try await store.recordLedgerEntries(
                    [(.id(id), body.draft)], correcting: true, defaults: settings.credit, today: store.calendar.today, prefix: { _ in "" },
                    by: try context.caller)[0]
                return try JSONBody.response(LedgerWriteResponse(result: result), status: result.outcome == .created ? .created : .ok)
            },
            APIRoute(.get, "/v1/dealers/{id}/ledger/{external_id}/versions", .roles(.staff)) { request, context in
                let page = try await store.ledgerEntryVersions(
                    dealerID: try context.uuidParameter(entity: "dealer"), externalID: context.parameters.get("external_id") ?? "",
                    page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.post, "/v1/ledger/batch", .roles(.ledgerWriters)) { request, context in
                // A bulk route: 5,000 documents with comments outgrow http.max_body_bytes.
                let body = try await JSONBody.decode(
                    LedgerBatchRequest.self, from: request, limit: max(settings.maxBodyBytes, settings.maxImportBytes),
                    setting: "receivables.max_import_bytes")
                let items = try Self.batchItems(body, max: settings.maxBatchEntries)
                let results = try await store.recordLedgerEntries(
                    items, correcting: false, defaults: settings.credit, today: store.calendar.today, prefix: { "entries[\($0)]." },
                    by: try context.caller)
                return try JSONBody.response(LedgerBatchResponse(results))
            },
            APIRoute(.get, "/v1/dealers/{id}/receivables", .roles(.staffOrOwnDealer)) { _, context in
                let receivables = try await store.receivables(
                    dealerID: try context.uuidParameter(entity: "dealer"), defaults: settings.credit, today: store.calendar.today)
                return try JSONBody.response(ReceivablesResponse(receivables: receivables))
            },
            APIRoute(.get, "/v1/dealers/{id}/payment-discipline", .roles(.staffOrOwnDealer)) { request, context in
                let span = try Self.disciplineSpan(from: request, today: store.calendar.today)
                let report = try await store.paymentDiscipline(
                    dealerID: try context.uuidParameter(entity: "dealer"), from: span.from, to: span.to, defaults: settings.credit)
                return try JSONBody.response(try JSONValueEncoder().encode(PaymentDisciplineBody(report)))
            },
            APIRoute(.get, "/v1/receivables", .roles(.staff)) { request, context in
                var query = try Self.listQuery(from: request)
                query.visibility = context.visibility
                let result = try await store.receivablesList(query)
                return try JSONBody.response(
                    ReceivablesListResponse(
                        items: result.lines, totals: result.totals, nextCursor: result.more ? String(query.offset + query.limit) : nil))
            },
            APIRoute(.get, "/v1/dealers/{id}/credit-policy", .roles(.staffOrOwnDealer)) { _, context in
                let id = try context.uuidParameter(entity: "dealer")
                guard let policy = try await store.creditPolicy(dealerID: id) else {
                    throw DomainError.notFound(entity: "credit policy of dealer", id: id.lowercased)
                }
                return try JSONBody.response(policy)
            },
            APIRoute(.put, "/v1/dealers/{id}/credit-policy", .roles(.creditOfficers)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(CreditPolicyRequest.self, from: request, limit: settings.maxBodyBytes)
                let policy = try await store.setCreditPolicy(
                    dealerID: id, body.draft, defaults: settings.credit, today: store.calendar.today, by: try context.caller)
                return try JSONBody.response(policy)
            },
            APIRoute(.get, "/v1/dealers/{id}/credit-policy/history", .roles(.staff)) { request, context in
                let history = try await store.creditPolicyHistory(
                    dealerID: try context.uuidParameter(entity: "dealer"), page: try QueryParameters.page(of: request))
                return try JSONBody.response(
                    ListResponse(
                        items: history.items.map { change in
                            JSONValue.object([
                                "policy": change.policy, "reason": .string(change.reason), "changed_by": .string(change.changedBy),
                                "changed_at": .string(Timestamp.format(change.changedAt)),
                            ])
                        }, nextCursor: history.nextCursor))
            },
            APIRoute(.post, "/v1/dealers/{id}/credit-check", .roles(.shippers)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(CreditCheckRequest.self, from: request, limit: settings.maxBodyBytes)
                let check = try await store.creditCheck(
                    dealerID: id, amount: body.amount?.text, openOrders: body.openOrders?.text, defaults: settings.credit,
                    today: store.calendar.today,
                    by: try context.caller)
                return try JSONBody.response(check)
            },
        ]
    }

    /// Parsed outside the async handler (see ManagersController). The cursor is an offset: the list is
    /// a report sorted by figures that change under it, not a feed.
    static func listQuery(from request: Request) throws -> ReceivablesQuery {
        let query = QueryParameters(request: request)
        let offset = try query.int("cursor") ?? 0
        guard offset >= 0 else { throw ValidationError(field: "cursor", "the previous page's next_cursor") }
        return ReceivablesQuery(
            managerID: try query.uuid("manager_id"), region: query.string("region"), segment: query.string("segment"),
            state: try query.oneOf("state", ReceivablesQuery.StateFilter.self), sort: try query.oneOf("sort", ReceivablesQuery.Sort.self) ?? .balance,
            offset: offset, limit: try query.limit())
    }

    /// `from` and `to`: by default `to` is today and `from` opens the twelve months up to it
    /// (`PaymentDiscipline.defaultSpan`). A span that runs backwards or past
    /// `PaymentDiscipline.maxMonths` months is refused.
    static func disciplineSpan(from request: Request, today: CivilDate) throws -> (from: CivilDate, to: CivilDate) {
        let query = QueryParameters(request: request)
        let to = try query.date("to") ?? today
        let from = try query.date("from") ?? PaymentDiscipline.defaultSpan(today: to).from
        switch PaymentDiscipline.problem(from: from, to: to) {
        case .backwards: throw ValidationError(field: "to", "on or after from (\(from.iso))")
        case .tooLong: throw ValidationError(field: "from", "at most \(PaymentDiscipline.maxMonths) months before to; ask for a shorter span")
        case nil: return (from, to)
        }
    }

    /// Each entry names its dealer by `dealer_id` or `dealer_code`; parsed outside the async handler.
    static func batchItems(_ body: LedgerBatchRequest, max: Int) throws -> [(dealer: DealerReference, draft: LedgerEntryDraft)] {
        guard let entries = body.entries, !entries.isEmpty else { throw ValidationError(field: "entries", "required: at least one entry") }
        guard entries.count <= max else { throw ValidationError(field: "entries", "at most \(max) entries per batch; split it") }
        var issues = ValidationCollector()
        var items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = []
        for (index, entry) in entries.enumerated() {
            if let text = entry.dealerID?.trimmedNonEmpty {
                guard let id = UUID(uuidString: text) else {
                    issues.add("entries[\(index)].dealer_id", "expected a UUID")
                    continue
                }
                items.append((.id(id), entry.draft))
            } else if let code = entry.dealerCode?.trimmedNonEmpty {
                items.append((.code(code), entry.draft))
            } else {
                issues.add("entries[\(index)].dealer_id", "name the dealer by dealer_id or dealer_code")
            }
        }
        try issues.check()
        return items
    }
}
