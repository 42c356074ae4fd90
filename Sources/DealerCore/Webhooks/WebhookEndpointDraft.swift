import Foundation

/// What an admin sends to subscribe an endpoint.
public struct WebhookEndpointDraft: Sendable, Equatable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var enabled: Bool?

    public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }

    public func validated(id: UUID, now: Date) throws(ValidationError) -> WebhookEndpoint {
        var issues = ValidationCollector()
        let url = WebhookEndpointRules.url(url, into: &issues)
        let description = WebhookEndpointRules.description(description ?? "", into: &issues)
        let events = EventSelection.parse(eventTypes ?? ["*"], field: "event_types", into: &issues)
        try issues.check()
        guard let url, let events else { throw issues.unreachable("url") }
        let enabled = enabled ?? true
        return WebhookEndpoint(
            id: id, url: url, description: description, events: events, enabled: enabled,
            disabledReason: enabled ? nil : "created disabled", disabledAt: enabled ? nil : now,
            createdAt: now, updatedAt: now)
    }
}

/// A partial update of an endpoint; enabling and disabling have their own operations.
public struct WebhookEndpointPatch: Sendable, Equatable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?

    public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
    }

    public func applied(to endpoint: WebhookEndpoint, now: Date) throws(ValidationError) -> WebhookEndpoint {
        var issues = ValidationCollector()
        var result = endpoint
        if let url { result.url = WebhookEndpointRules.url(url, into: &issues) ?? endpoint.url }
        if let description { result.description = WebhookEndpointRules.description(description, into: &issues) }
        if let eventTypes {
            result.events = EventSelection.parse(eventTypes, field: "event_types", into: &issues) ?? endpoint.events
        }
        try issues.check()
        if result != endpoint { result.updatedAt = now }
        return result
    }
}

enum WebhookEndpointRules {
    static func url(_ raw: String?, into issues: inout ValidationCollector) -> String? {
        guard let url = raw?.trimmedNonEmpty else {
            issues.add("url", "required: the receiver's http or https URL")
            return nil
        }
        if let problem = WebhookURL.problem(with: url) {
            issues.add("url", problem)
            return nil
        }
        return url
    }

    static func description(_ raw: String, into issues: inout ValidationCollector) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > 500 { issues.add("description", "at most 500 characters") }
        return text
    }
}
