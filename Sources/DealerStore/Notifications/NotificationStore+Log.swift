import DealerCore
import Foundation
import SQLKit

/// Filters of the notification log.
public struct NotificationQuery: Sendable, Equatable {
    public var status: NotificationStatus?
    public var channel: NotificationChannel?
    public var dealerID: UUID?
    public var managerID: UUID?
    public var eventType: EventType?
    public var page: PageRequest

    public init(
        status: NotificationStatus? = nil, channel: NotificationChannel? = nil, dealerID: UUID? = nil, managerID: UUID? = nil,
        eventType: EventType? = nil, page: PageRequest = PageRequest()
    ) {
        self.status = status
        self.channel = channel
        self.dealerID = dealerID
        self.managerID = managerID
        self.eventType = eventType
        self.page = page
    }
}

extension NotificationStore {
    /// The log, newest first, with each message's attempts.
    public func messages(_ query: NotificationQuery) async throws -> Page<NotificationMessage> {
        let after = try query.page.cursor.map { cursor throws(ValidationError) in try SequenceCursor(decoding: cursor).seq }
        return try await database.read { sql in
            var conditions: [SQLQueryString] = ["1 = 1"]
            if let status = query.status { conditions.append("n.status = \(bind: status.rawValue)") }
            if let channel = query.channel { conditions.append("n.channel = \(bind: channel.rawValue)") }
            if let dealerID = query.dealerID { conditions.append("n.dealer_id = \(bind: dealerID)") }
            if let managerID = query.managerID { conditions.append("n.manager_id = \(bind: managerID)") }
            if let type = query.eventType { conditions.append("n.event_type = \(bind: type.rawValue)") }
            if let after { conditions.append("n.seq < \(bind: after)") }
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM notifications n
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY n.seq DESC LIMIT \(literal: query.page.limit + 1)
                """
            ).all()
            let (page, more) = query.page.cut(rows)
            var messages = try page.map(Self.decode)
            try await Self.attachAttempts(to: &messages, on: sql)
            let next = try more ? page.last.map { SequenceCursor(seq: try $0.decode(column: "seq", as: Int64.self)).encoded } : nil
            return Page(items: messages, nextCursor: next)
        }
    }

    public func message(id: UUID) async throws -> NotificationMessage {
        try await database.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM notifications n WHERE n.id = \(bind: id)").first()
            else { throw DomainError.notFound(entity: "notification", id: id.lowercased) }
            var messages = [try Self.decode(row)]
            try await Self.attachAttempts(to: &messages, on: sql)
            return messages[0]
        }
    }

    /// Sends a message again now, with a fresh retry schedule (a sent one too: the person asks for it).
    public func redeliver(id: UUID, by actor: Caller) async throws -> NotificationMessage {
        let now = clock.now()
        let flavor = database.flavor
        try await database.transaction { sql in
            guard
                let row = try await sql.raw("SELECT status FROM notifications WHERE id = \(bind: id)\(unsafeRaw: flavor.rowLockForUpdate)").first()
            else { throw DomainError.notFound(entity: "notification", id: id.lowercased) }
            guard try row.enumeration("status", as: NotificationStatus.self) != .pending else {
                throw DomainError.conflict(field: "status", message: "the message is pending already; it goes at its next attempt")
            }
            try await sql.raw(
                """
                UPDATE notifications SET status = 'pending', next_attempt_at = \(bind: now), cycle_attempts = 0, last_error = NULL,
                    updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "notification.redeliver", entityType: "notification", entityID: id.lowercased,
                    before: nil, after: nil),
                at: now, on: sql)
        }
        return try await message(id: id)
    }

    static func attachAttempts(to messages: inout [NotificationMessage], on sql: any SQLDatabase) async throws {
        guard !messages.isEmpty else { return }
        var byID: [UUID: [NotificationMessage.Attempt]] = [:]
        for chunk in messages.map(\.id).chunked(200) {
            for row in try await sql.raw(
                """
                SELECT notification_id, number, started_at, duration_ms, error, response FROM notification_attempts
                WHERE notification_id IN (\(binds: chunk)) ORDER BY seq
                """
            ).all() {
                byID[try row.decode(column: "notification_id", as: UUID.self), default: []].append(
                    NotificationMessage.Attempt(
                        number: try row.decode(column: "number", as: Int.self), startedAt: try row.instant("started_at"),
                        durationMs: try row.decode(column: "duration_ms", as: Int.self),
                        error: try row.decode(column: "error", as: String?.self), response: try row.decode(column: "response", as: String?.self)))
            }
        }
        for index in messages.indices { messages[index].attempts = byID[messages[index].id] ?? [] }
    }
}
