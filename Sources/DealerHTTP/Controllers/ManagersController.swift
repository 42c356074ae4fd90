import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/managers`: the sales department.
struct ManagersController {
    let store: Store
    let maxBodyBytes: Int

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/managers", .roles(.salesStaff)) { request, context in
                let body = try await JSONBody.decode(ManagerRequest.self, from: request, limit: maxBodyBytes)
                let manager = try await store.createManager(try body.draft(), by: try context.caller)
                var response = try JSONBody.response(manager, status: .created)
                response.headers[.location] = "/v1/managers/\(manager.id.lowercased)"
                return response
            },
            APIRoute(.get, "/v1/managers", .roles(.staff)) { request, _ in
                let filter = try Self.filter(from: request)
                let page = try await store.managers(role: filter.role, active: filter.active, limit: filter.limit, cursor: filter.cursor)
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/managers/{id}", .roles(.staff)) { _, context in
                try JSONBody.response(try await store.manager(id: try context.uuidParameter(entity: "manager")))
            },
            APIRoute(.patch, "/v1/managers/{id}", .roles(.salesStaff)) { request, context in
                let id = try context.uuidParameter(entity: "manager")
                let body = try await JSONBody.decode(ManagerRequest.self, from: request, limit: maxBodyBytes)
                return try JSONBody.response(try await store.updateManager(id: id, try body.patch(), by: try context.caller))
            },
        ]
    }

    /// Parsed outside the async handler, as in DealersController (a release-optimizer crash).
    static func filter(from request: Request) throws -> (role: SalesRole?, active: Bool?, limit: Int, cursor: String?) {
        let query = QueryParameters(request: request)
        return (try query.oneOf("role", SalesRole.self), try query.bool("active"), try query.limit(), query.string("cursor"))
    }
}
