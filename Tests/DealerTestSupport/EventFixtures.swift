import DealerCore
import DealerStore
import Foundation
import SQLKit

/// Bulk events for load tests, written as the outbox would (per-dealer numbers, then a NOTIFY on
/// PostgreSQL), in a few large transactions instead of thousands of API calls.
public enum EventFixtures {
    public static func append(_ count: Int, dealers: Int, to store: Store) async throws {
        let dealerIDs = (0..<dealers).map { _ in UUID() }
        let now = Date()
        let flavor = store.database.flavor
        for start in stride(from: 0, to: count, by: 1000) {
            try await store.database.transaction { sql in
                var rows: [SQLQueryString] = []
                for index in start..<min(start + 1000, count) {
                    let dealer = dealerIDs[index % dealers]
                    let number = index / dealers + 1
                    rows.append(
                        "(\(bind: UUID()), 'dealer.updated', \(bind: now), \(bind: dealer), \(bind: number), \(bind: "{\"n\":\(index)}"))")
                }
                for chunk in stride(from: 0, to: rows.count, by: 200) {
                    try await sql.raw(
                        "INSERT INTO events (id, type, occurred_at, dealer_id, dealer_seq, data) VALUES \(rows[chunk..<min(chunk + 200, rows.count)].joined(separator: ", "))"
                    ).run()
                }
                if flavor == .postgres { try await sql.raw("SELECT pg_notify('dealerd_outbox', '')").run() }
            }
        }
    }

    /// How many attempts each replica made for an endpoint.
    public static func attemptsByReplica(endpoint: UUID, store: Store) async throws -> [String: Int] {
        try await store.database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT a.replica, COUNT(*) AS attempts FROM webhook_attempts a
                JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = \(bind: endpoint)
                GROUP BY a.replica
                """
            ).all()
            var result: [String: Int] = [:]
            for row in rows {
                result[try row.decode(column: "replica", as: String.self)] = try row.decode(column: "attempts", as: Int.self)
            }
            return result
        }
    }

    /// Event ids (lower case) of deliveries with an attempt that got no answer: a timeout, a refused
    /// connection or a replica lost mid-attempt.
    public static func eventsWithAnUnknownOutcome(endpoint: UUID, store: Store) async throws -> Set<String> {
        try await store.database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT DISTINCT d.event_id FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                WHERE d.endpoint_id = \(bind: endpoint) AND a.status_code IS NULL
                """
            ).all()
            return Set(try rows.map { try $0.decode(column: "event_id", as: UUID.self).lowercased })
        }
    }
}
