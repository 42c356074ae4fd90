import DealerCore
import Foundation
import SQLKit

/// Appends domain events inside the caller's transaction.
enum Outbox {
    /// The PostgreSQL channel notified when events commit; dispatchers on every replica listen on it.
    static let channel = "dealerd_outbox"

    /// `audience` limits an event to one webhook endpoint (a test ping); such events are not in the feed.
    static func append(_ event: DomainEvent, audience: UUID? = nil, on sql: any SQLDatabase, flavor: SQLFlavor) async throws {
        try await prepareAppend(on: sql, flavor: flavor)
        // The dealer's next number; safe without more locking: PostgreSQL holds the outbox lock above,
        // SQLite has one writer.
        let dealerSequence: SQLQueryString =
            event.dealerID.map { "(SELECT COALESCE(MAX(dealer_seq), 0) + 1 FROM events WHERE dealer_id = \(bind: $0))" } ?? "NULL"
        try await sql.raw(
            """
            INSERT INTO events (id, type, occurred_at, dealer_id, dealer_seq, data, audience)
            VALUES (\(bind: event.id), \(bind: event.type.rawValue), \(bind: event.occurredAt),
                    \(bind: event.dealerID), \(dealerSequence), \(bind: DealerJSON.string(of: event.data)), \(bind: audience))
            """
        ).run()
    }

    /// Many events at once (a batch's alerts), in order, in multi-row statements: the lock and the
    /// notification are taken once, and each dealer's events are numbered on from its last one.
    static func appendAll(_ events: [DomainEvent], on sql: any SQLDatabase, flavor: SQLFlavor) async throws {
        guard !events.isEmpty else { return }
        try await prepareAppend(on: sql, flavor: flavor)
        for chunk in events.chunked(100) {
            var offsets: [UUID: Int] = [:]
            let rows: [SQLQueryString] = chunk.map { event in
                let dealerSequence: SQLQueryString =
                    event.dealerID.map { dealerID in
                        let offset = offsets[dealerID, default: 0] + 1
                        offsets[dealerID] = offset
                        return "(SELECT COALESCE(MAX(dealer_seq), 0) + \(literal: offset) FROM events WHERE dealer_id = \(bind: dealerID))"
                    } ?? "NULL"
                return """
                    (\(bind: event.id), \(bind: event.type.rawValue), \(bind: event.occurredAt), \(bind: event.dealerID), \(dealerSequence),
                     \(bind: DealerJSON.string(of: event.data)), NULL)
                    """
            }
            try await sql.raw(
                "INSERT INTO events (id, type, occurred_at, dealer_id, dealer_seq, data, audience) VALUES \(rows.joined(separator: ", "))"
            ).run()
        }
    }

    private static func prepareAppend(on sql: any SQLDatabase, flavor: SQLFlavor) async throws {
        OutboxWrites.current?.markAppended()
        if flavor == .postgres {
            // Identity values are handed out at insert, not at commit: without this lock a consumer
            // reading `after=N` could pass over an event that commits after a higher one. Held to commit.
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: LockKeys.outbox))").run()
            // Delivered at commit (and once per transaction however many events it holds).
            try await sql.raw("SELECT pg_notify(\(literal: channel), '')").run()
        }
    }
}

/// Appends audit records inside the caller's transaction.
enum AuditTrail {
    static func append(_ record: AuditRecord, at: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO audit_log (at, actor, action, entity_type, entity_id, before_json, after_json)
            VALUES (\(bind: at), \(bind: record.actor), \(bind: record.action), \(bind: record.entityType),
                    \(bind: record.entityID), \(bind: record.before.map(DealerJSON.string(of:))),
                    \(bind: record.after.map(DealerJSON.string(of:))))
            """
        ).run()
    }
}
