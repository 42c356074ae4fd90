import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Turns committed events into deliveries: one per endpoint whose selection includes the event's
    /// type (a ping only to its endpoint). Endpoints that are disabled get the delivery as `failed`, so
    /// a later recover sends it. Returns how many events were consumed; 0 when the outbox is drained.
    ///
    /// The position lives in one row that the fanning replica locks, so replicas take turns and every
    /// event is fanned out once. Events reach the table in commit order (the outbox lock), so reading
    /// past the position never skips one that commits later.
    public func fanOutEvents(limit: Int) async throws -> Int {
        let head = try await database.read { sql in
            try await sql.raw(
                "SELECT last_seq, (SELECT COALESCE(MAX(seq), 0) FROM events) AS head FROM webhook_fanout WHERE id = 1"
            ).first().map { (try $0.decode(column: "last_seq", as: Int64.self), try $0.decode(column: "head", as: Int64.self)) }
        }
        guard let head, head.1 > head.0 else { return 0 }
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            guard
                let position = try await sql.raw(
                    "SELECT last_seq FROM webhook_fanout WHERE id = 1\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first()?.decode(column: "last_seq", as: Int64.self)
            else { return 0 }
            let events = try await sql.raw(
                "SELECT seq, id, type, dealer_id, audience FROM events WHERE seq > \(bind: position) ORDER BY seq LIMIT \(literal: limit)"
            ).all()
            guard let last = try events.last?.decode(column: "seq", as: Int64.self) else { return 0 }
            let endpoints = try await sql.raw(
                "SELECT \(unsafeRaw: Self.endpointColumns), start_seq FROM webhook_endpoints"
            ).all().map { (try Self.decodeEndpoint($0), try $0.decode(column: "start_seq", as: Int64.self)) }
            var rows: [SQLQueryString] = []
            for row in events {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let type = try row.enumeration("type", as: EventType.self)
                let audience = try row.decode(column: "audience", as: UUID?.self)
                for (endpoint, startSeq) in endpoints where seq > startSeq {
                    if let audience {
                        guard audience == endpoint.id else { continue }
                    } else {
                        guard endpoint.events.includes(type) else { continue }
                    }
                    let status: WebhookDeliveryStatus = endpoint.enabled ? .pending : .failed
                    rows.append(
                        """
                        (\(bind: UUID()), \(bind: endpoint.id), \(bind: seq), \(bind: try row.decode(column: "id", as: UUID.self)),
                         \(bind: type.rawValue), \(bind: try row.decode(column: "dealer_id", as: UUID?.self)), \(bind: status.rawValue), 0, 0,
                         \(bind: endpoint.enabled ? now : nil), \(bind: endpoint.enabled ? nil : "the endpoint was disabled when the event occurred"),
                         \(bind: now), \(bind: now))
                        """)
                }
            }
            // Bounded statements: SQLite allows at most 32,766 bound values in one.
            for chunk in rows.chunked(200) {
                try await sql.raw(
                    """
                    INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, event_id, event_type, dealer_id, status, attempts,
                        cycle_attempts, next_attempt_at, last_error, created_at, updated_at)
                    VALUES \(chunk.joined(separator: ", "))
                    ON CONFLICT DO NOTHING
                    """
                ).run()
            }
            try await sql.raw("UPDATE webhook_fanout SET last_seq = \(bind: last) WHERE id = 1").run()
            return events.count
        }
    }
}
