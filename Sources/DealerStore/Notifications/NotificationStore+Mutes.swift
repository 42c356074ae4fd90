import DealerCore
import Foundation
import SQLKit

extension NotificationStore {
    /// A manager's mutes, dealer ones first.
    public func mutes(managerID: UUID) async throws -> [NotificationMute] {
        try await database.read { sql in
            guard try await sql.raw("SELECT id FROM managers WHERE id = \(bind: managerID)").first() != nil else {
                throw DomainError.notFound(entity: "manager", id: managerID.lowercased)
            }
            return try await sql.raw(
                "SELECT manager_id, dealer_id, event_type FROM notification_mutes WHERE manager_id = \(bind: managerID) ORDER BY created_at, id"
            ).all().map { row in
                NotificationMute(
                    managerID: try row.decode(column: "manager_id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
                    eventType: try row.decode(column: "event_type", as: String?.self).flatMap(EventType.init(rawValue:)))
            }
        }
    }

    /// Adds a mute (adding one that exists changes nothing). Returns whether it is new.
    @discardableResult
    public func mute(_ mute: NotificationMute, by actor: Caller) async throws -> Bool {
        guard mute.dealerID != nil || mute.eventType != nil else {
            throw ValidationError(field: "dealer_id", "name a dealer, an event type, or both")
        }
        let now = clock.now()
        return try await database.transaction { sql in
            guard try await sql.raw("SELECT id FROM managers WHERE id = \(bind: mute.managerID)").first() != nil else {
                throw DomainError.notFound(entity: "manager", id: mute.managerID.lowercased)
            }
            if let dealerID = mute.dealerID, try await sql.raw("SELECT id FROM dealers WHERE id = \(bind: dealerID)").first() == nil {
                throw ValidationError(field: "dealer_id", "no such dealer")
            }
            guard try await Self.findMute(mute, on: sql) == nil else { return false }
            let id = UUID()
            try await sql.raw(
                """
                INSERT INTO notification_mutes (id, manager_id, dealer_id, event_type, created_by, created_at)
                VALUES (\(bind: id), \(bind: mute.managerID), \(bind: mute.dealerID), \(bind: mute.eventType?.rawValue), \(bind: actor.name), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "notification_mute.add", entityType: "manager", entityID: mute.managerID.lowercased,
                    before: nil, after: try JSONValueEncoder().encode(mute)),
                at: now, on: sql)
            return true
        }
    }

    /// Removes a mute; false when there was none.
    @discardableResult
    public func unmute(_ mute: NotificationMute, by actor: Caller) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { sql in
            guard let id = try await Self.findMute(mute, on: sql) else { return false }
            try await sql.raw("DELETE FROM notification_mutes WHERE id = \(bind: id)").run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "notification_mute.remove", entityType: "manager", entityID: mute.managerID.lowercased,
                    before: try JSONValueEncoder().encode(mute), after: nil),
                at: now, on: sql)
            return true
        }
    }

    private static func findMute(_ mute: NotificationMute, on sql: any SQLDatabase) async throws -> UUID? {
        let dealer: SQLQueryString = mute.dealerID.map { "dealer_id = \(bind: $0)" } ?? "dealer_id IS NULL"
        let type: SQLQueryString = mute.eventType.map { "event_type = \(bind: $0.rawValue)" } ?? "event_type IS NULL"
        return try await sql.raw(
            "SELECT id FROM notification_mutes WHERE manager_id = \(bind: mute.managerID) AND \(dealer) AND \(type)"
        ).first()?.decode(column: "id", as: UUID.self)
    }
}
