import Foundation

/// Which events an endpoint receives: every type, or the listed ones.
public enum EventSelection: Sendable, Equatable {
    case all
    case only(Set<EventType>)

    public func includes(_ type: EventType) -> Bool {
        switch self {
        case .all: true
        case .only(let types): types.contains(type)
        }
    }

    /// The API and storage form: `["*"]` or the type names in order.
    public var names: [String] {
        switch self {
        case .all: ["*"]
        case .only(let types): types.map(\.rawValue).sorted()
        }
    }

    /// Parses the API form; unknown names are reported, not ignored (a typo would silence alerts).
    public static func parse(_ names: [String], field: String, into issues: inout ValidationCollector) -> EventSelection? {
        if names.isEmpty {
            issues.add(field, "list at least one event type, or \"*\" for all")
            return nil
        }
        if names.contains("*") {
            if names.count > 1 { issues.add(field, "\"*\" already selects every type; list it alone") }
            return .all
        }
        var types = Set<EventType>()
        for (index, name) in names.enumerated() {
            if let type = EventType(rawValue: name) {
                types.insert(type)
            } else {
                issues.add("\(field)[\(index)]", "unknown event type \(name); see GET /v1/webhooks/event-types")
            }
        }
        return types.isEmpty ? nil : .only(types)
    }
}

/// A receiver subscribed to dealerd's events.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: UUID
    public var url: String
    public var description: String
    public var events: EventSelection
    public var enabled: Bool
    /// Why the endpoint is disabled: by whom, or after which failure.
    public var disabledReason: String?
    public var disabledAt: Date?
    /// Since when every attempt to this endpoint has failed (nil while it answers).
    public var failingSince: Date?
    /// Until when the previous secret still signs beside the current one (after a rotation).
    public var previousSecretExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, url: String, description: String, events: EventSelection, enabled: Bool,
        disabledReason: String? = nil, disabledAt: Date? = nil, failingSince: Date? = nil,
        previousSecretExpiresAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.description = description
        self.events = events
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.disabledAt = disabledAt
        self.failingSince = failingSince
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension WebhookEndpoint: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, url, description, enabled
        case events = "event_types"
        case disabledReason = "disabled_reason"
        case disabledAt = "disabled_at"
        case failingSince = "failing_since"
        case previousSecretExpiresAt = "previous_secret_expires_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(url, forKey: .url)
        try container.encode(description, forKey: .description)
        try container.encode(events.names, forKey: .events)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(disabledAt, forKey: .disabledAt)
        try container.encode(failingSince, forKey: .failingSince)
        try container.encode(previousSecretExpiresAt, forKey: .previousSecretExpiresAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
