import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/dealers`: dealer cards and their lifecycle.
struct DealersController {
    let store: Store
    let maxBodyBytes: Int

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/dealers", .roles(.dealerWriters)) { request, context in
                let body = try await JSONBody.decode(CreateDealerRequest.self, from: request, limit: maxBodyBytes)
                let dealer = try await store.createDealer(try Self.scoped(try body.draft(), to: context.visibility), by: try context.caller)
                var response = try JSONBody.response(dealer, status: .created)
                response.headers[.location] = "/v1/dealers/\(dealer.id.lowercased)"
                return response
            },
            APIRoute(.get, "/v1/dealers", .roles(.staff)) { request, context in
                var query = try Self.query(from: request)
                query.visibility = context.visibility
                let page = try await store.dealers(matching: query)
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/dealers/{id}", .roles(.staff)) { _, context in
                try JSONBody.response(try await store.dealer(id: try context.uuidParameter(entity: "dealer")))
            },
            APIRoute(.patch, "/v1/dealers/{id}", .roles(.dealerWriters)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(UpdateDealerRequest.self, from: request, limit: maxBodyBytes)
                return try JSONBody.response(try await store.updateDealer(id: id, body.patch, by: try context.caller))
            },
            APIRoute(.post, "/v1/dealers/{id}/status", .roles(.salesStaff)) { request, context in
                let id = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(StatusChangeRequest.self, from: request, limit: maxBodyBytes)
                let dealer = try await store.changeDealerStatus(
                    id: id, to: try body.target(), reason: body.reason, by: try context.caller)
                return try JSONBody.response(dealer)
            },
        ]
    }

    /// A new card as a manager under `own` scope may create it: under itself when it names no one,
    /// else naming itself as manager or service specialist, so it cannot make a dealer it would not see.
    static func scoped(_ draft: DealerDraft, to visibility: DealerVisibility) throws -> DealerDraft {
        var draft = draft
        if draft.managerID == nil && draft.serviceSpecialistID == nil { draft.managerID = visibility.defaultManager }
        guard visibility.allows(managerID: draft.managerID, serviceSpecialistID: draft.serviceSpecialistID) else {
            throw Problem.outsideManagerScope
        }
        return draft
    }

    /// The list's filters from the query string. Synchronous on purpose: Swift 6.3's release
    /// optimizer crashed (signal 11 while splitting the coroutine) on this parsing inlined in the
    /// async handler.
    static func query(from request: Request) throws -> DealerQuery {
        let query = QueryParameters(request: request)
        return DealerQuery(
            status: try query.oneOf("status", DealerStatus.self), region: query.string("region"),
            segment: query.string("segment"), managerID: try query.uuid("manager"), search: query.string("q"),
            limit: try query.limit(), cursor: query.string("cursor"))
    }
}
