import DealerCore
import Foundation
import SQLKit

extension Store {
    /// What a webhook secret is sealed for: its endpoint (both the current and the previous secret,
    /// since a rotation moves the one into the other as it is).
    static func secretContext(_ endpointID: UUID) -> String { "webhook_endpoint:" + endpointID.lowercased }

    static let endpointColumns =
        "id, url, description, event_types, enabled, disabled_reason, disabled_at, failing_since, previous_secret_expires_at, created_at, updated_at"

    /// Subscribes an endpoint. The secret is returned here and by a rotation only; it is never listed.
    /// The endpoint receives events committed from now on.
    public func createWebhookEndpoint(_ draft: WebhookEndpointDraft, by actor: Caller) async throws -> (WebhookEndpoint, WebhookSecret) {
        let now = clock.now()
        let endpoint = try draft.validated(id: UUID(), now: now)
        let secret = WebhookSecret.generate()
        let stored = try secrets.seal(secret.text, context: Self.secretContext(endpoint.id))
        return try await writing { sql in
            try await sql.raw(
                """
                INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, disabled_reason, disabled_at,
                    secret, start_seq, created_at, updated_at)
                VALUES (\(bind: endpoint.id), \(bind: endpoint.url), \(bind: endpoint.description),
                        \(bind: DealerJSON.string(of: endpoint.events.names)), \(bind: endpoint.enabled),
                        \(bind: endpoint.disabledReason), \(bind: endpoint.disabledAt), \(bind: stored),
                        (SELECT COALESCE(MAX(seq), 0) FROM events), \(bind: now), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_endpoint.create", entityType: "webhook_endpoint",
                    entityID: endpoint.id.lowercased, before: nil, after: DealerJSON.value(of: endpoint)),
                at: now, on: sql)
            return (endpoint, secret)
        }
    }

    public func webhookEndpoint(id: UUID) async throws -> WebhookEndpoint {
        try await database.read { sql in
            guard let endpoint = try await Self.fetchEndpoint(id: id, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "webhook endpoint", id: id.lowercased)
            }
            return endpoint
        }
    }

    /// Every endpoint, oldest first (a company has a handful).
    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await database.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.endpointColumns) FROM webhook_endpoints ORDER BY created_at, id")
                .all().map(Self.decodeEndpoint)
        }
    }

    /// A page of the endpoints, oldest first.
    public func webhookEndpoints(page: PageRequest) async throws -> Page<WebhookEndpoint> {
        let offset = try page.startingOffset()
        return try await database.read { sql in
            let rows = try await sql.raw(
                "SELECT \(unsafeRaw: Self.endpointColumns) FROM webhook_endpoints ORDER BY created_at, id \(page.window(at: offset))"
            ).all()
            return try page.page(of: rows, at: offset) { try $0.map(Self.decodeEndpoint) }
        }
    }

    public func updateWebhookEndpoint(id: UUID, _ patch: WebhookEndpointPatch, by actor: Caller) async throws -> WebhookEndpoint {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            let before = try await Self.lockEndpoint(id: id, on: sql, flavor: flavor)
            let after = try patch.applied(to: before, now: now)
            guard after != before else { return before }
            try await sql.raw(
                """
                UPDATE webhook_endpoints SET url = \(bind: after.url), description = \(bind: after.description),
                    event_types = \(bind: DealerJSON.string(of: after.events.names)), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_endpoint.update", entityType: "webhook_endpoint",
                    entityID: id.lowercased, before: DealerJSON.value(of: before), after: DealerJSON.value(of: after)),
                at: now, on: sql)
            return after
        }
    }

    /// Removes the endpoint with its deliveries and their attempts.
    public func deleteWebhookEndpoint(id: UUID, by actor: Caller) async throws {
        let now = clock.now()
        let flavor = database.flavor
        try await writing { sql in
            let before = try await Self.lockEndpoint(id: id, on: sql, flavor: flavor)
            try await sql.raw(
                "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = \(bind: id))"
            ).run()
            try await sql.raw("DELETE FROM webhook_deliveries WHERE endpoint_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id)").run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_endpoint.delete", entityType: "webhook_endpoint",
                    entityID: id.lowercased, before: DealerJSON.value(of: before), after: nil),
                at: now, on: sql)
        }
    }

    /// Enables or disables an endpoint by hand. Disabling parks its pending deliveries as `failed`
    /// (recover sends them later); enabling forgets the failure streak but resends nothing by itself.
    public func setWebhookEndpointEnabled(id: UUID, enabled: Bool, by actor: Caller) async throws -> WebhookEndpoint {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            let before = try await Self.lockEndpoint(id: id, on: sql, flavor: flavor)
            guard before.enabled != enabled else { return before }
            var after = before
            after.enabled = enabled
            after.updatedAt = now
            if enabled {
                after.disabledReason = nil
                after.disabledAt = nil
                after.failingSince = nil
            } else {
                after.disabledReason = "disabled by \(actor.name)"
                after.disabledAt = now
                try await Self.parkPendingDeliveries(endpointID: id, reason: "endpoint disabled by \(actor.name)", now: now, on: sql)
            }
            try await Self.storeEndpointState(after, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: enabled ? "webhook_endpoint.enable" : "webhook_endpoint.disable",
                    entityType: "webhook_endpoint", entityID: id.lowercased,
                    before: DealerJSON.value(of: before), after: DealerJSON.value(of: after)),
                at: now, on: sql)
            return after
        }
    }

    /// Replaces the secret. The previous one keeps signing beside the new one until `grace` has passed,
    /// so a receiver can switch without rejecting a delivery.
    public func rotateWebhookSecret(id: UUID, grace: TimeInterval, by actor: Caller) async throws -> (WebhookEndpoint, WebhookSecret) {
        let now = clock.now()
        let flavor = database.flavor
        let secret = WebhookSecret.generate()
        let stored = try secrets.seal(secret.text, context: Self.secretContext(id))
        return try await writing { sql in
            var endpoint = try await Self.lockEndpoint(id: id, on: sql, flavor: flavor)
            let expires = Timestamp.truncated(now.addingTimeInterval(grace))
            try await sql.raw(
                """
                UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = \(bind: expires),
                    secret = \(bind: stored), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            endpoint.previousSecretExpiresAt = expires
            endpoint.updatedAt = now
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "webhook_endpoint.rotate_secret", entityType: "webhook_endpoint",
                    entityID: id.lowercased, before: nil,
                    after: .object(["previous_secret_expires_at": .string(Timestamp.format(expires))])),
                at: now, on: sql)
            return (endpoint, secret)
        }
    }

    /// Queues a `webhook.ping` for this endpoint only. Returns the event's id (the `webhook-id` the
    /// receiver will see).
    public func sendWebhookPing(endpointID: UUID, by actor: Caller) async throws -> UUID {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            let endpoint = try await Self.lockEndpoint(id: endpointID, on: sql, flavor: flavor)
            guard endpoint.enabled else {
                throw DomainError.conflict(field: "enabled", message: "the endpoint is disabled; enable it before testing it")
            }
            let event = try DomainEvent(
                type: .webhookPing, occurredAt: now, payload: WebhookPing(endpointID: endpointID, requestedBy: actor.name))
            try await Outbox.append(event, audience: endpointID, on: sql, flavor: flavor)
            return event.id
        }
    }

    // MARK: - Shared with the dispatcher

    static func lockEndpoint(id: UUID, on sql: any SQLDatabase, flavor: SQLFlavor) async throws -> WebhookEndpoint {
        guard let endpoint = try await fetchEndpoint(id: id, on: sql, lockingOn: flavor) else {
            throw DomainError.notFound(entity: "webhook endpoint", id: id.lowercased)
        }
        return endpoint
    }

    static func fetchEndpoint(id: UUID, on sql: any SQLDatabase, lockingOn flavor: SQLFlavor?) async throws -> WebhookEndpoint? {
        let lock = flavor?.rowLockForUpdate ?? ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: endpointColumns) FROM webhook_endpoints WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decodeEndpoint)
    }

    static func storeEndpointState(_ endpoint: WebhookEndpoint, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE webhook_endpoints SET enabled = \(bind: endpoint.enabled), disabled_reason = \(bind: endpoint.disabledReason),
                disabled_at = \(bind: endpoint.disabledAt), failing_since = \(bind: endpoint.failingSince),
                updated_at = \(bind: endpoint.updatedAt)
            WHERE id = \(bind: endpoint.id)
            """
        ).run()
    }

    /// Pending deliveries of a disabled endpoint become `failed`, to be sent by a later recover.
    static func parkPendingDeliveries(endpointID: UUID, reason: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE webhook_deliveries SET status = 'failed', last_error = \(bind: reason), next_attempt_at = NULL,
                lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: now)
            WHERE endpoint_id = \(bind: endpointID) AND status = 'pending'
            """
        ).run()
    }

    /// Disables an endpoint the dispatcher gave up on and tells the other subscribers.
    static func disableFailingEndpoint(
        _ endpoint: WebhookEndpoint, reason: String, now: Date, on sql: any SQLDatabase, flavor: SQLFlavor
    ) async throws {
        var disabled = endpoint
        disabled.enabled = false
        disabled.disabledReason = reason
        disabled.disabledAt = now
        disabled.updatedAt = now
        try await storeEndpointState(disabled, on: sql)
        try await parkPendingDeliveries(endpointID: endpoint.id, reason: "endpoint disabled: \(reason)", now: now, on: sql)
        try await AuditTrail.append(
            AuditRecord(
                actor: "dispatcher", action: "webhook_endpoint.disable", entityType: "webhook_endpoint",
                entityID: endpoint.id.lowercased, before: DealerJSON.value(of: endpoint), after: DealerJSON.value(of: disabled)),
            at: now, on: sql)
        try await Outbox.append(
            try DomainEvent(
                type: .webhookEndpointDisabled, occurredAt: now,
                payload: EndpointDisabled(endpointID: endpoint.id, url: endpoint.url, reason: reason, failingSince: endpoint.failingSince)),
            on: sql, flavor: flavor)
    }

    static func decodeEndpoint(_ row: any SQLRow) throws -> WebhookEndpoint {
        let names = try DealerJSON.decoder().decode([String].self, from: Data(try row.decode(column: "event_types", as: String.self).utf8))
        var issues = ValidationCollector()
        guard let events = EventSelection.parse(names, field: "event_types", into: &issues) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored event_types \(names) are not valid"))
        }
        return WebhookEndpoint(
            id: try row.decode(column: "id", as: UUID.self),
            url: try row.decode(column: "url", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            events: events,
            enabled: try row.decode(column: "enabled", as: Bool.self),
            disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
            disabledAt: try row.optionalInstant("disabled_at"),
            failingSince: try row.optionalInstant("failing_since"),
            previousSecretExpiresAt: try row.optionalInstant("previous_secret_expires_at"),
            createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}
