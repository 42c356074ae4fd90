import DealerCore
import Foundation
import SQLKit

/// A delivery claimed by a dispatcher: everything needed to send it without another query.
public struct WebhookDispatch: Sendable {
    public var deliveryID: UUID
    public var endpointID: UUID
    public var url: String
    /// The current secret, and the previous one while its grace period lasts.
    public var secrets: [WebhookSecret]
    /// Why the stored secret could not be read (sealed under a key this process lacks, or damaged):
    /// the attempt is then logged as failed with this reason instead of being sent unsigned.
    public var secretProblem: String?
    /// The number this attempt gets in the delivery log.
    public var attemptNumber: Int
    /// Failed attempts since the retry schedule last started (a redeliver or recover restarts it).
    public var cycleFailures: Int
    public var event: StoredEvent
}

/// Filters of an endpoint's delivery log.
public struct WebhookDeliveryQuery: Sendable, Equatable {
    public var status: WebhookDeliveryStatus?
    public var eventType: EventType?
    public var dealerID: UUID?
    /// Deliveries of events before this feed position (the previous page's cursor).
    public var before: Int64?
    public var limit: Int

    public init(status: WebhookDeliveryStatus? = nil, eventType: EventType? = nil, dealerID: UUID? = nil, before: Int64? = nil, limit: Int = 50) {
        self.status = status
        self.eventType = eventType
        self.dealerID = dealerID
        self.before = before
        self.limit = limit
    }
}

extension Store {
    /// Claims up to `limit` due deliveries for `owner` until the lease runs out. Only the earliest
    /// pending delivery of each (endpoint, dealer) is due, so a dealer's events arrive in order while
    /// other dealers' go ahead. A delivery whose lease ran out (its replica died mid-attempt) is due
    /// again; the lost attempt is logged as having no known outcome.
    public func claimDueDeliveries(owner: String, lease: TimeInterval, limit: Int) async throws -> [WebhookDispatch] {
        let flavor = database.flavor
        return try await database.transaction { sql in
            // Read once the connection is ours: waiting seconds for a busy pool would otherwise write
            // a lease that has already run out, and the next pass would take over its own attempt.
            let now = clock.now()
            let lock = flavor == .postgres ? " FOR UPDATE OF d SKIP LOCKED" : ""
            let rows = try await sql.raw(
                """
                SELECT d.id, d.endpoint_id, d.attempts, d.cycle_attempts, d.lease_owner, d.lease_expires_at,
                       ev.seq, ev.dealer_seq, ev.id AS event_id, ev.type, ev.occurred_at, ev.dealer_id, ev.data,
                       ep.url, ep.secret, ep.previous_secret, ep.previous_secret_expires_at
                FROM webhook_deliveries d
                JOIN events ev ON ev.seq = d.event_seq
                JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: now)
                  AND (d.lease_expires_at IS NULL OR d.lease_expires_at < \(bind: now))
                  AND ep.enabled = \(bind: true)
                  AND (d.dealer_id IS NULL OR NOT EXISTS (
                        SELECT 1 FROM webhook_deliveries earlier
                        WHERE earlier.endpoint_id = d.endpoint_id AND earlier.dealer_id = d.dealer_id
                          AND earlier.status = 'pending' AND earlier.event_seq < d.event_seq))
                ORDER BY d.next_attempt_at, d.event_seq
                LIMIT \(literal: limit)\(unsafeRaw: lock)
                """
            ).all()
            guard !rows.isEmpty else { return [] }
            let expires = Timestamp.truncated(now.addingTimeInterval(lease))
            let decoder = DealerJSON.decoder()
            var claimed: [WebhookDispatch] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                // `attempts` counts attempts started; a lease still set means the last one never reported.
                let attempts = try row.decode(column: "attempts", as: Int.self)
                if try row.optionalInstant("lease_expires_at") != nil {
                    try await Self.logAttempt(
                        deliveryID: id,
                        WebhookAttempt(
                            number: attempts, startedAt: now, durationMilliseconds: 0, statusCode: nil,
                            error: "no outcome recorded: the replica sending it stopped or lost its lease; sending again",
                            response: nil),
                        replica: try row.decode(column: "lease_owner", as: String?.self) ?? owner, on: sql)
                }
                let endpointID = try row.decode(column: "endpoint_id", as: UUID.self)
                var secrets: [WebhookSecret] = []
                var secretProblem: String?
                do {
                    let context = Self.secretContext(endpointID)
                    secrets.append(try WebhookSecret(try self.secrets.open(try row.decode(column: "secret", as: String.self), context: context)))
                    if let previous = try row.decode(column: "previous_secret", as: String?.self),
                        let until = try row.optionalInstant("previous_secret_expires_at"), until > now
                    {
                        secrets.append(try WebhookSecret(try self.secrets.open(previous, context: context)))
                    }
                } catch let problem as SecretSealer.Problem {
                    secrets = []
                    secretProblem = "not sent: \(problem.description)"
                } catch let problem as WebhookSecret.Problem {
                    secrets = []
                    secretProblem = "not sent: the stored secret is unusable (\(problem.description)); rotate it"
                }
                claimed.append(
                    WebhookDispatch(
                        deliveryID: id,
                        endpointID: endpointID,
                        url: try row.decode(column: "url", as: String.self),
                        secrets: secrets,
                        secretProblem: secretProblem,
                        attemptNumber: attempts + 1,
                        cycleFailures: try row.decode(column: "cycle_attempts", as: Int.self),
                        event: StoredEvent(
                            sequence: try row.decode(column: "seq", as: Int64.self),
                            dealerSequence: try row.decode(column: "dealer_seq", as: Int64?.self),
                            event: DomainEvent(
                                id: try row.decode(column: "event_id", as: UUID.self),
                                type: try row.enumeration("type", as: EventType.self),
                                occurredAt: try row.instant("occurred_at"),
                                dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
                                data: try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "data", as: String.self).utf8))))))
                try await sql.raw(
                    """
                    UPDATE webhook_deliveries SET lease_owner = \(bind: owner), lease_expires_at = \(bind: expires), attempts = \(bind: attempts + 1)
                    WHERE id = \(bind: id)
                    """
                ).run()
            }
            return claimed
        }
    }

    /// Records one attempt's outcome. `retryAt` is when to try again after a failure (nil: the
    /// schedule is used up). An endpoint that answered 410, or has failed without a success for
    /// `disableAfter`, is disabled and `webhook.endpoint_disabled` is written. An attempt whose lease
    /// was lost meanwhile is logged but changes nothing else.
    public func recordAttempt(
        _ dispatch: WebhookDispatch, owner: String, attempt: WebhookAttempt, verdict: WebhookResponseVerdict,
        retryAt: Date?, disableAfter: TimeInterval
    ) async throws {
        let now = clock.now()
        let flavor = database.flavor
        try await database.transaction { sql in
            try await Self.logAttempt(deliveryID: dispatch.deliveryID, attempt, replica: owner, on: sql)
            let stillOurs =
                try await sql.raw(
                    """
                    SELECT id FROM webhook_deliveries
                    WHERE id = \(bind: dispatch.deliveryID) AND lease_owner = \(bind: owner) AND status = 'pending'\(unsafeRaw: flavor.rowLockForUpdate)
                    """
                ).first() != nil
            guard stillOurs else { return }
            let common: SQLQueryString = """
                attempts = \(bind: attempt.number), cycle_attempts = cycle_attempts + 1, last_status_code = \(bind: attempt.statusCode),
                lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now)
                """
            switch verdict {
            case .delivered:
                try await sql.raw(
                    """
                    UPDATE webhook_deliveries SET status = 'delivered', delivered_at = \(bind: now), next_attempt_at = NULL,
                        last_error = NULL, \(common)
                    WHERE id = \(bind: dispatch.deliveryID)
                    """
                ).run()
                try await sql.raw(
                    "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = \(bind: dispatch.endpointID) AND failing_since IS NOT NULL"
                ).run()
                // An act is `sent` once its event reached a subscriber.
                if dispatch.event.event.type == .reconciliationActGenerated {
                    try await sql.raw(
                        """
                        UPDATE reconciliation_acts SET status = 'sent', sent_at = \(bind: now)
                        WHERE generated_event_id = \(bind: dispatch.event.event.id) AND status = 'generated'
                        """
                    ).run()
                }
            case .retry:
                let status: WebhookDeliveryStatus = retryAt == nil ? .exhausted : .pending
                try await sql.raw(
                    """
                    UPDATE webhook_deliveries SET status = \(bind: status.rawValue), next_attempt_at = \(bind: retryAt.map(Timestamp.truncated)),
                        last_error = \(bind: attempt.error ?? "HTTP \(attempt.statusCode ?? 0)"), \(common)
                    WHERE id = \(bind: dispatch.deliveryID)
                    """
                ).run()
                var endpoint = try await Self.lockEndpoint(id: dispatch.endpointID, on: sql, flavor: flavor)
                guard endpoint.enabled else { return }
                guard let since = endpoint.failingSince else {
                    endpoint.failingSince = now
                    try await sql.raw("UPDATE webhook_endpoints SET failing_since = \(bind: now) WHERE id = \(bind: endpoint.id)").run()
                    return
                }
                if now.timeIntervalSince(since) >= disableAfter {
                    let days = Int((disableAfter / 86400).rounded())
                    try await Self.disableFailingEndpoint(
                        endpoint, reason: "every attempt failed since \(Timestamp.format(since)) (over \(days) days)",
                        now: now, on: sql, flavor: flavor)
                }
            case .gone:
                try await sql.raw(
                    """
                    UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL,
                        last_error = 'the receiver answered 410 Gone; endpoint disabled', \(common)
                    WHERE id = \(bind: dispatch.deliveryID)
                    """
                ).run()
                let endpoint = try await Self.lockEndpoint(id: dispatch.endpointID, on: sql, flavor: flavor)
                if endpoint.enabled {
                    try await Self.disableFailingEndpoint(
                        endpoint, reason: "the receiver answered 410 Gone", now: now, on: sql, flavor: flavor)
                }
            }
        }
    }

    /// Hands claimed deliveries back unsent (graceful shutdown): due again at once, nothing counted.
    public func releaseDeliveries(_ ids: [UUID], owner: String) async throws {
        guard !ids.isEmpty else { return }
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL, attempts = attempts - 1
                WHERE id IN (\(binds: ids)) AND lease_owner = \(bind: owner) AND status = 'pending'
                """
            ).run()
        }
    }

    /// When the next pending delivery is due (or its lease runs out), for the dispatcher's sleep.
    public func nextDeliveryDue() async throws -> Date? {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT MIN(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > next_attempt_at
                                THEN lease_expires_at ELSE next_attempt_at END) AS due
                FROM webhook_deliveries WHERE status = 'pending'
                """
            ).first()?.optionalInstant("due")
        }
    }

    // MARK: - Delivery log and recovery

    public func webhookDeliveries(endpointID: UUID, _ query: WebhookDeliveryQuery) async throws -> Page<WebhookDelivery> {
        try await database.read { sql in
            guard try await Self.fetchEndpoint(id: endpointID, on: sql, lockingOn: nil) != nil else {
                throw DomainError.notFound(entity: "webhook endpoint", id: endpointID.lowercased)
            }
            var conditions: [SQLQueryString] = ["d.endpoint_id = \(bind: endpointID)"]
            if let status = query.status { conditions.append("d.status = \(bind: status.rawValue)") }
            if let type = query.eventType { conditions.append("d.event_type = \(bind: type.rawValue)") }
            if let dealer = query.dealerID { conditions.append("d.dealer_id = \(bind: dealer)") }
            if let before = query.before { conditions.append("d.event_seq < \(bind: before)") }
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d LEFT JOIN events ev ON ev.seq = d.event_seq
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY d.event_seq DESC LIMIT \(literal: query.limit + 1)
                """
            ).all()
            var deliveries = try rows.prefix(query.limit).map(Self.decodeDelivery)
            try await Self.attachAttempts(to: &deliveries, on: sql)
            let next = rows.count > query.limit ? deliveries.last.map { String($0.eventSequence) } : nil
            return Page(items: deliveries, nextCursor: next)
        }
    }

    public func webhookDelivery(id: UUID) async throws -> WebhookDelivery {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries d LEFT JOIN events ev ON ev.seq = d.event_seq WHERE d.id = \(bind: id)"
                ).first()
            else { throw DomainError.notFound(entity: "webhook delivery", id: id.lowercased) }
            var deliveries = [try Self.decodeDelivery(row)]
            try await Self.attachAttempts(to: &deliveries, on: sql)
            return deliveries[0]
        }
    }

    /// Sends a delivery again (whatever its outcome so far) with the same `webhook-id`, restarting
    /// the retry schedule.
    public func redeliverWebhook(deliveryID: UUID, by actor: Caller) async throws -> WebhookDelivery {
        let now = clock.now()
        let flavor = database.flavor
        try await writing { sql in
            guard
                let row = try await sql.raw(
                    "SELECT endpoint_id, status FROM webhook_deliveries WHERE id = \(bind: deliveryID)\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first()
            else { throw DomainError.notFound(entity: "webhook delivery", id: deliveryID.lowercased) }
            let endpoint = try await Self.lockEndpoint(id: try row.decode(column: "endpoint_id", as: UUID.self), on: sql, flavor: flavor)
            guard endpoint.enabled else {
                throw DomainError.conflict(
                    field: "endpoint", message: "the endpoint is disabled; use recover (which enables it) or enable it first")
            }
            guard try row.enumeration("status", as: WebhookDeliveryStatus.self) != .pending else {
                throw DomainError.conflict(field: "status", message: "the delivery is pending already; it will be sent at its next attempt")
            }
            try await Self.restartDeliveries(condition: "id = \(bind: deliveryID)", now: now, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_delivery.redeliver", entityType: "webhook_delivery",
                    entityID: deliveryID.lowercased, before: nil, after: nil),
                at: now, on: sql)
        }
        return try await webhookDelivery(id: deliveryID)
    }

    /// Enables the endpoint if it is disabled and sends again every `failed` or `exhausted` delivery
    /// of an event that occurred since `since`, oldest first. Returns how many were queued.
    public func recoverWebhookEndpoint(id: UUID, since: Date, by actor: Caller) async throws -> (WebhookEndpoint, Int) {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            var endpoint = try await Self.lockEndpoint(id: id, on: sql, flavor: flavor)
            let before = endpoint
            if !endpoint.enabled {
                endpoint.enabled = true
                endpoint.disabledAt = nil
                endpoint.disabledReason = nil
                endpoint.failingSince = nil
                endpoint.updatedAt = now
                try await Self.storeEndpointState(endpoint, on: sql)
            }
            let count = try await Self.restartDeliveries(
                condition: """
                    endpoint_id = \(bind: id) AND status IN ('failed', 'exhausted')
                    AND EXISTS (SELECT 1 FROM events ev WHERE ev.seq = webhook_deliveries.event_seq AND ev.occurred_at >= \(bind: since))
                    """,
                now: now, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_endpoint.recover", entityType: "webhook_endpoint", entityID: id.lowercased,
                    before: DealerJSON.value(of: before),
                    after: .object([
                        "since": .string(Timestamp.format(since)), "deliveries_queued": .number(Decimal(count)),
                        "enabled": .bool(true),
                    ])),
                at: now, on: sql)
            return (endpoint, count)
        }
    }

    /// Removes finished deliveries (and their attempts) last changed before `before`.
    public func pruneWebhookDeliveries(before: Date) async throws -> Int {
        try await database.transaction { sql in
            let finished: SQLQueryString = "status IN ('delivered', 'exhausted', 'failed') AND updated_at < \(bind: before)"
            try await sql.raw("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE \(finished))").run()
            return try await sql.raw("DELETE FROM webhook_deliveries WHERE \(finished) RETURNING id").all().count
        }
    }

    @discardableResult
    static func restartDeliveries(condition: SQLQueryString, now: Date, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(
            """
            UPDATE webhook_deliveries SET status = 'pending', cycle_attempts = 0, next_attempt_at = \(bind: now),
                lease_owner = NULL, lease_expires_at = NULL, delivered_at = NULL, updated_at = \(bind: now)
            WHERE \(condition)
            RETURNING id
            """
        ).all().count
    }

    static func logAttempt(deliveryID: UUID, _ attempt: WebhookAttempt, replica: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO webhook_attempts (delivery_id, number, started_at, duration_ms, status_code, error, response, replica)
            VALUES (\(bind: deliveryID), \(bind: attempt.number), \(bind: Timestamp.truncated(attempt.startedAt)),
                    \(bind: attempt.durationMilliseconds), \(bind: attempt.statusCode), \(bind: attempt.error),
                    \(bind: attempt.response), \(bind: replica))
            """
        ).run()
    }

    static let deliveryColumns =
        "d.id, d.endpoint_id, d.event_seq, d.event_id, d.event_type, d.dealer_id, ev.dealer_seq, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at"

    static func decodeDelivery(_ row: any SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.decode(column: "id", as: UUID.self),
            endpointID: try row.decode(column: "endpoint_id", as: UUID.self),
            eventID: try row.decode(column: "event_id", as: UUID.self),
            eventType: try row.enumeration("event_type", as: EventType.self),
            eventSequence: try row.decode(column: "event_seq", as: Int64.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
            dealerSequence: try row.decode(column: "dealer_seq", as: Int64?.self),
            status: try row.enumeration("status", as: WebhookDeliveryStatus.self),
            attemptCount: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.optionalInstant("next_attempt_at"),
            lastStatusCode: try row.decode(column: "last_status_code", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.instant("created_at"),
            deliveredAt: try row.optionalInstant("delivered_at"))
    }

    static func attachAttempts(to deliveries: inout [WebhookDelivery], on sql: any SQLDatabase) async throws {
        guard !deliveries.isEmpty else { return }
        let rows = try await sql.raw(
            """
            SELECT delivery_id, number, started_at, duration_ms, status_code, error, response FROM webhook_attempts
            WHERE delivery_id IN (\(binds: deliveries.map(\.id))) ORDER BY seq
            """
        ).all()
        var byDelivery: [UUID: [WebhookAttempt]] = [:]
        for row in rows {
            byDelivery[try row.decode(column: "delivery_id", as: UUID.self), default: []].append(
                WebhookAttempt(
                    number: try row.decode(column: "number", as: Int.self),
                    startedAt: try row.instant("started_at"),
                    durationMilliseconds: try row.decode(column: "duration_ms", as: Int.self),
                    statusCode: try row.decode(column: "status_code", as: Int?.self),
                    error: try row.decode(column: "error", as: String?.self),
                    response: try row.decode(column: "response", as: String?.self)))
        }
        for index in deliveries.indices { deliveries[index].attempts = byDelivery[deliveries[index].id] ?? [] }
    }
}
