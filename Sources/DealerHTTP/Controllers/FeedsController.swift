import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/audit` (who changed what) and `/v1/events` (the outbox as a pollable feed).
struct FeedsController {
    let store: Store

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/audit", .roles(.adminOnly)) { request, _ in
                let page = try await store.auditEntries(try Self.auditQuery(from: request))
                return try JSONBody.response(ListResponse(items: page.items.map(AuditEntryBody.init), nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/events", .roles(.staff)) { request, context in
                let feed = try Self.feedQuery(from: request)
                let page = try await store.events(
                    after: feed.after, types: feed.types, dealerID: feed.dealerID, limit: feed.limit, visibility: context.visibility)
                return try JSONBody.response(ListResponse(items: page.items.map(EventEnvelope.json(of:)), nextCursor: page.nextCursor))
            },
        ]
    }
}

// Query strings are parsed in synchronous helpers: Swift 6.3's release optimizer crashed (signal 11
// while splitting the coroutine) on this parsing inlined in the async handlers.
extension FeedsController {
    static func auditQuery(from request: Request) throws -> AuditQuery {
        let query = QueryParameters(request: request)
        return AuditQuery(
            entityType: query.string("entity_type"), entityID: query.string("entity_id"), actor: query.string("actor"),
            before: try query.int64("cursor"), limit: try query.limit())
    }

    struct FeedQuery {
        var after: Int64
        var types: Set<EventType>
        var dealerID: UUID?
        var limit: Int
    }

    static func feedQuery(from request: Request) throws -> FeedQuery {
        let query = QueryParameters(request: request)
        var types = Set<EventType>()
        for name in query.string("type")?.split(separator: ",") ?? [] {
            guard let type = EventType(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(field: "type", "unknown event type \(name)")
            }
            types.insert(type)
        }
        return FeedQuery(after: try query.int64("after") ?? 0, types: types, dealerID: try query.uuid("dealer_id"), limit: try query.limit())
    }
}

struct AuditEntryBody: Encodable {
    let entry: AuditEntry

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, before, after
        case entityType = "entity_type"
        case entityID = "entity_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.sequence, forKey: .seq)
        try container.encode(entry.at, forKey: .at)
        try container.encode(entry.actor, forKey: .actor)
        try container.encode(entry.action, forKey: .action)
        try container.encode(entry.entityType, forKey: .entityType)
        try container.encode(entry.entityID, forKey: .entityID)
        try container.encode(entry.before, forKey: .before)
        try container.encode(entry.after, forKey: .after)
    }
}
