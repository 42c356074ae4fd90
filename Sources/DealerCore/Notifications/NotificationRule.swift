import Foundation

/// One line of the routing: which events, optionally narrowed by the dealer's segment or region or
/// the amount at stake, go to whom, by which channel first, and whether they may wake people.
public struct NotificationRule: Sendable, Equatable {
    public var name: String
    public var events: Set<EventType>
    public var audiences: [Audience]
    /// In order of preference: a recipient gets the first channel they can be reached on.
    public var channels: [NotificationChannel]
    /// Sent at once even in quiet hours.
    public var urgent: Bool
    /// The rule's own quiet hours; nil: the company's (`notifications.quiet_hours`).
    public var quietHours: QuietHours?
    /// The dealer's segment or region must be one of these (nil: any).
    public var segments: Set<String>?
    public var regions: Set<String>?
    /// The amount at stake (`NotificationRouter.amount(of:)`) must be above this.
    public var amountOver: Decimal?

    public init(
        name: String, events: Set<EventType>, audiences: [Audience], channels: [NotificationChannel] = [.telegram, .email],
        urgent: Bool = false, quietHours: QuietHours? = nil, segments: Set<String>? = nil, regions: Set<String>? = nil,
        amountOver: Decimal? = nil
    ) {
        self.name = name
        self.events = events
        self.audiences = audiences
        self.channels = channels
        self.urgent = urgent
        self.quietHours = quietHours
        self.segments = segments
        self.regions = regions
        self.amountOver = amountOver
    }

    /// Whether the rule applies to an event of `type` about `dealer` with `amount` at stake.
    func matches(_ type: EventType, dealer: Dealer?, amount: Decimal?) -> Bool {
        guard events.contains(type) else { return false }
        if let segments {
            guard let segment = dealer?.segment, segments.contains(segment) else { return false }
        }
        if let regions {
            guard let region = dealer?.region, regions.contains(region) else { return false }
        }
        if let amountOver {
            guard let amount, amount > amountOver else { return false }
        }
        return true
    }
}

/// The routing file (`notifications/rules.yaml`) as written: names and strings, checked into rules
/// with every problem named.
public struct NotificationRulesFile: Decodable, Sendable {
    public struct Rule: Decodable, Sendable {
        public var name: String
        public var events: [String]
        public var to: [String]
        public var channels: [String]?
        public var urgent: Bool?
        public var quietHours: String?
        public var when: Filter?
    }

    public struct Filter: Decodable, Sendable {
        public var segments: [String]?
        public var regions: [String]?
        public var amountOver: String?
    }

    public var rules: [Rule]

    /// The rules, or what is wrong with them (each problem names the rule and the member).
    public func checked() -> (rules: [NotificationRule], problems: [String]) {
        var result: [NotificationRule] = []
        var problems: [String] = []
        var names: Set<String> = []
        for (index, spec) in rules.enumerated() {
            let place = "rules[\(index)] (\(spec.name))"
            if spec.name.trimmedNonEmpty == nil { problems.append("rules[\(index)].name: required and not blank") }
            if !names.insert(spec.name).inserted { problems.append("\(place).name: another rule has this name") }
            var events: Set<EventType> = []
            for text in spec.events {
                if let type = EventType(rawValue: text) {
                    events.insert(type)
                } else {
                    problems.append("\(place).events: unknown event type \(text)")
                }
            }
            if spec.events.isEmpty { problems.append("\(place).events: name at least one event type") }
            var audiences: [Audience] = []
            for text in spec.to {
                if let audience = Audience(text) {
                    audiences.append(audience)
                } else {
                    problems.append(
                        "\(place).to: \(text) is not an audience (manager, service_specialist, head_of_sales, operators, "
                            + "contact:accounting|director|orders, email:ADDRESS)")
                }
            }
            if spec.to.isEmpty { problems.append("\(place).to: name at least one audience") }
            var channels: [NotificationChannel] = []
            for text in spec.channels ?? ["telegram", "email"] {
                if let channel = NotificationChannel(rawValue: text) {
                    channels.append(channel)
                } else {
                    problems.append("\(place).channels: unknown channel \(text)")
                }
            }
            if channels.isEmpty { problems.append("\(place).channels: name at least one channel") }
            var quiet: QuietHours?
            if let text = spec.quietHours {
                quiet = QuietHours(parsing: text)
                if quiet == nil { problems.append("\(place).quiet_hours: expected HH:MM-HH:MM, e.g. 21:00-08:00") }
            }
            var amount: Decimal?
            if let text = spec.when?.amountOver {
                amount = Decimal(string: text.replacingOccurrences(of: " ", with: ""), locale: Locale(identifier: "en_US_POSIX"))
                if amount == nil { problems.append("\(place).when.amount_over: expected a decimal amount such as \"500000\"") }
            }
            result.append(
                NotificationRule(
                    name: spec.name, events: events, audiences: audiences, channels: channels, urgent: spec.urgent ?? false,
                    quietHours: quiet, segments: spec.when?.segments.map(Set.init), regions: spec.when?.regions.map(Set.init),
                    amountOver: amount))
        }
        return (result, problems)
    }
}
