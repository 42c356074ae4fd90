import DealerCore
import Foundation
import SQLKit

/// How events become messages on this installation: the rules, the channels configured, the
/// company's quiet hours and zone, and the template renderer (which lives with the channels).
public struct NotificationRouting: Sendable {
    public var rules: [NotificationRule]
    public var channels: Set<NotificationChannel>
    public var quietHours: QuietHours?
    public var operators: [String]
    public var timeZone: TimeZone
    public var currency: Currency
    /// How long the link in an act's letter lets its addressee answer the act.
    public var actLinkLifetime: TimeInterval
    public var render: @Sendable (_ planned: PlannedNotification, _ event: DomainEvent, _ facts: MessageFacts) -> RenderedMessage
    /// Events older than this when fanned out are passed over (`notifications.max_event_age_hours`).
    public var maxEventAge: TimeInterval?
    /// How a digest reaches its addressee: the first of these he can be reached on.
    public var digestChannels: [NotificationChannel]
    public var renderDigest: @Sendable (_ kind: NotificationDigest.Kind, _ channel: NotificationChannel, _ facts: MessageFacts) -> RenderedMessage

    public init(
        rules: [NotificationRule], channels: Set<NotificationChannel>, quietHours: QuietHours?, operators: [String], timeZone: TimeZone,
        currency: Currency, actLinkLifetime: TimeInterval = 60 * 86400, maxEventAge: TimeInterval? = 86400,
        digestChannels: [NotificationChannel] = [.telegram, .email],
        render: @escaping @Sendable (PlannedNotification, DomainEvent, MessageFacts) -> RenderedMessage,
        renderDigest: @escaping @Sendable (NotificationDigest.Kind, NotificationChannel, MessageFacts) -> RenderedMessage = { _, _, facts in
            RenderedMessage(subject: facts.title, text: facts.title, html: nil)
        }
    ) {
        self.maxEventAge = maxEventAge
        self.digestChannels = digestChannels
        self.renderDigest = renderDigest
        self.actLinkLifetime = actLinkLifetime
        self.rules = rules
        self.channels = channels
        self.quietHours = quietHours
        self.operators = operators
        self.timeZone = timeZone
        self.currency = currency
        self.render = render
    }
}

extension NotificationStore {
    /// Turns committed events into messages, as `NotificationRouter` decides, each rendered once and
    /// kept as sent. Returns how many events were consumed; 0 when there is nothing new.
    ///
    /// The position lives in one row that the fanning replica locks, so replicas take turns and
    /// every event is fanned out once; the messages and the new position commit together, so a crash
    /// loses none and repeats none.
    public func fanOut(limit: Int, routing: NotificationRouting) async throws -> Int {
        let behind = try await database.read { sql in
            try await sql.raw(
                "SELECT last_seq, (SELECT COALESCE(MAX(seq), 0) FROM events) AS head FROM notification_fanout WHERE id = 1"
            ).first().map { try $0.decode(column: "head", as: Int64.self) > $0.decode(column: "last_seq", as: Int64.self) }
        }
        guard behind == true else { return 0 }
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            guard
                let position = try await sql.raw(
                    "SELECT last_seq FROM notification_fanout WHERE id = 1\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first()?.decode(column: "last_seq", as: Int64.self)
            else { return 0 }
            let rows = try await sql.raw(
                "SELECT seq, id, type, occurred_at, dealer_id, data, audience FROM events WHERE seq > \(bind: position) ORDER BY seq LIMIT \(literal: limit)"
            ).all()
            guard let last = try rows.last?.decode(column: "seq", as: Int64.self) else { return 0 }
            var events: [(seq: Int64, event: DomainEvent)] = []
            for row in rows where try row.decode(column: "audience", as: UUID?.self) == nil {
                // An event of a type this version does not know, or unreadable data, is passed over:
                // the feed still has it, and no guess is sent to a person.
                guard let type = EventType(rawValue: try row.decode(column: "type", as: String.self)),
                    let data = try? DealerJSON.decoder().decode(JSONValue.self, from: Data(try row.decode(column: "data", as: String.self).utf8))
                else { continue }
                events.append(
                    (
                        try row.decode(column: "seq", as: Int64.self),
                        DomainEvent(
                            id: try row.decode(column: "id", as: UUID.self), type: type, occurredAt: try row.instant("occurred_at"),
                            dealerID: try row.decode(column: "dealer_id", as: UUID?.self), data: data)
                    ))
            }
            let wanted = events.filter { event in
                NotificationRouter.isNews(event.event, now: now, maxAge: routing.maxEventAge)
                    && routing.rules.contains { $0.events.contains(event.event.type) }
            }
            var inserts: [SQLQueryString] = []
            if !wanted.isEmpty {
                let people = try await Self.people(on: sql)
                let dealers = try await Self.dealers(Set(wanted.compactMap(\.event.dealerID)), on: sql)
                let contactChats = try await Self.contactChats(of: dealers.keys, on: sql)
                for (seq, event) in wanted {
                    let dealer = event.dealerID.flatMap { dealers[$0] }
                    let facts = NotificationFacts(
                        event: event, dealer: dealer, managers: people.managers, mutes: people.mutes, operators: routing.operators,
                        telegramChats: people.chats, contactChats: contactChats)
                    let planned = NotificationRouter.plan(
                        facts, rules: routing.rules, channels: routing.channels, quietHours: routing.quietHours, timeZone: routing.timeZone)
                    guard !planned.isEmpty else { continue }
                    let message = MessageFacts.of(event, dealer: dealer, timeZone: routing.timeZone, currency: routing.currency)
                    for plan in planned {
                        let attachments = NotificationAttachment.of(event, channel: plan.channel, recipient: plan.recipient.kind)
                        var facts = message
                        // A letter that delivers an act links to a page where its addressee answers it.
                        if let act = NotificationAttachment.deliveredAct(attachments) {
                            facts.values["answer_code"] = try await Self.makeActAnswerCode(
                                act: act, address: plan.recipient.address, now: now, expires: now.addingTimeInterval(routing.actLinkLifetime),
                                on: sql)
                        }
                        let rendered = routing.render(plan, event, facts)
                        let files = String(decoding: try DealerJSON.encoder().encode(attachments), as: UTF8.self)
                        inserts.append(
                            """
                            (\(bind: UUID()), \(bind: seq), \(bind: event.id), \(bind: event.type.rawValue), \(bind: event.dealerID),
                             \(bind: plan.rule), \(bind: plan.channel.rawValue), \(bind: plan.recipient.kind.rawValue),
                             \(bind: plan.recipient.managerID), \(bind: plan.recipient.name), \(bind: plan.recipient.address),
                             \(bind: rendered.subject), \(bind: rendered.text), \(bind: rendered.html), \(bind: files), \(bind: plan.urgent),
                             'pending', 0, 0, \(bind: Timestamp.truncated(plan.notBefore)), \(bind: Timestamp.truncated(max(plan.notBefore, now))),
                             \(bind: now), \(bind: now))
                            """)
                    }
                }
            }
            for chunk in inserts.chunked(100) {
                try await sql.raw(
                    """
                    INSERT INTO notifications (\(unsafeRaw: Self.insertColumns))
                    VALUES \(chunk.joined(separator: ", "))
                    ON CONFLICT DO NOTHING
                    """
                ).run()
            }
            try await sql.raw("UPDATE notification_fanout SET last_seq = \(bind: last) WHERE id = 1").run()
            return rows.count
        }
    }

    struct People {
        var managers: [UUID: Manager]
        var mutes: [NotificationMute]
        var chats: [UUID: String]
    }

    static func people(on sql: any SQLDatabase) async throws -> People {
        var managers: [UUID: Manager] = [:]
        for row in try await sql.raw("SELECT id, name, email, role, active, created_at, updated_at FROM managers").all() {
            // A manager row this version cannot read is nobody to write to; the rest still hear.
            guard let manager = try? Store.decodeManager(row) else { continue }
            managers[manager.id] = manager
        }
        let mutes = try await sql.raw("SELECT manager_id, dealer_id, event_type FROM notification_mutes").all().compactMap { row in
            try? NotificationMute(
                managerID: row.decode(column: "manager_id", as: UUID.self), dealerID: row.decode(column: "dealer_id", as: UUID?.self),
                eventType: row.decode(column: "event_type", as: String?.self).flatMap(EventType.init(rawValue:)))
        }
        var chats: [UUID: String] = [:]
        for row in try await sql.raw("SELECT manager_id, chat_id FROM telegram_chats").all() {
            guard let manager = try? row.decode(column: "manager_id", as: UUID.self), let chat = try? row.decode(column: "chat_id", as: String.self)
            else { continue }
            chats[manager] = chat
        }
        return People(managers: managers, mutes: mutes, chats: chats)
    }

    private static func dealers(_ ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: Dealer] {
        var result: [UUID: Dealer] = [:]
        for chunk in Array(ids).chunked(200) {
            for row in try await sql.raw("SELECT \(unsafeRaw: DealerRow.columns) FROM dealers WHERE id IN (\(binds: chunk))").all() {
                guard let dealer = try? DealerRow.decode(row) else { continue }
                result[dealer.id] = dealer
            }
        }
        return result
    }
}
