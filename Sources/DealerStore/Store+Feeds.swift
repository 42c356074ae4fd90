import DealerCore
import Foundation
import SQLKit

/// Filters of the audit log.
public struct AuditQuery: Sendable, Equatable {
    public var entityType: String?
    public var entityID: String?
    public var actor: String?
    /// Entries older than this sequence (the previous page's cursor).
    public var before: Int64?
    public var limit: Int

    public init(entityType: String? = nil, entityID: String? = nil, actor: String? = nil, before: Int64? = nil, limit: Int = 50) {
        self.entityType = entityType
        self.entityID = entityID
        self.actor = actor
        self.before = before
        self.limit = limit
    }
}

extension Store {
    /// The audit log, newest first.
    public func auditEntries(_ query: AuditQuery) async throws -> Page<AuditEntry> {
        try await database.read { sql in
            var conditions: [SQLQueryString] = []
            if let type = query.entityType { conditions.append("entity_type = \(bind: type)") }
            if let id = query.entityID { conditions.append("entity_id = \(bind: id.lowercased())") }
            if let actor = query.actor { conditions.append("actor = \(bind: actor)") }
            if let before = query.before { conditions.append("seq < \(bind: before)") }
            var statement: SQLQueryString =
                "SELECT seq, at, actor, action, entity_type, entity_id, before_json, after_json FROM audit_log"
            if !conditions.isEmpty { statement += " WHERE " + conditions.joined(separator: " AND ") }
            statement += " ORDER BY seq DESC LIMIT \(literal: query.limit + 1)"
            let rows = try await sql.raw(statement).all()
            let decoder = DealerJSON.decoder()
            let entries = try rows.prefix(query.limit).map { row in
                AuditEntry(
                    sequence: try row.decode(column: "seq", as: Int64.self),
                    at: try row.instant("at"),
                    actor: try row.decode(column: "actor", as: String.self),
                    action: try row.decode(column: "action", as: String.self),
                    entityType: try row.decode(column: "entity_type", as: String.self),
                    entityID: try row.decode(column: "entity_id", as: String.self),
                    before: try row.decode(column: "before_json", as: String?.self).map {
                        try decoder.decode(JSONValue.self, from: Data($0.utf8))
                    },
                    after: try row.decode(column: "after_json", as: String?.self).map {
                        try decoder.decode(JSONValue.self, from: Data($0.utf8))
                    })
            }
            let next = rows.count > query.limit ? entries.last.map { String($0.sequence) } : nil
            return Page(items: entries, nextCursor: next)
        }
    }

    /// Events after a position in the feed, oldest first. The cursor of the answer is the position
    /// to poll from next; it stays the same when nothing new has happened. A manager under `own`
    /// scope sees its dealers' events only (not the company's, such as a failed job).
    public func events(
        after: Int64, types: Set<EventType>, dealerID: UUID?, limit: Int, visibility: DealerVisibility = .all
    ) async throws -> Page<StoredEvent> {
        try await database.read { sql in
            var statement: SQLQueryString =
                "SELECT seq, dealer_seq, id, type, occurred_at, dealer_id, data FROM events WHERE seq > \(bind: after) AND audience IS NULL"
            if !types.isEmpty {
                statement += " AND type IN (\(binds: types.map(\.rawValue).sorted()))"
            }
            if let dealerID { statement += " AND dealer_id = \(bind: dealerID)" }
            if visibility != .all { statement += " AND " + visibility.condition(dealerIDColumn: "dealer_id") }
            statement += " ORDER BY seq LIMIT \(literal: limit)"
            let decoder = DealerJSON.decoder()
            let events = try await sql.raw(statement).all().map { row in
                StoredEvent(
                    sequence: try row.decode(column: "seq", as: Int64.self),
                    dealerSequence: try row.decode(column: "dealer_seq", as: Int64?.self),
                    event: DomainEvent(
                        id: try row.decode(column: "id", as: UUID.self),
                        type: try row.enumeration("type", as: EventType.self),
                        occurredAt: try row.instant("occurred_at"),
                        dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
                        data: try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "data", as: String.self).utf8))))
            }
            return Page(items: events, nextCursor: String(events.last?.sequence ?? after))
        }
    }
}
