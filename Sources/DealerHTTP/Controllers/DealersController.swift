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
                let dealer = try await store.createDealer(try body.draft(), by: try context.caller)
                var response = try JSONBody.response(dealer, status: .created)
                response.headers[.location] = "/v1/dealers/\(dealer.id.lowercased)"
                return response
            },
            APIRoute(.get, "/v1/dealers", .roles(.staff)) { request, _ in
                let page = try await store.dealers(matching: try Self.query(from: request))
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
