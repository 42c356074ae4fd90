import Foundation

/// Someone a message goes to, as the outbox row names them.
public struct NotificationRecipient: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A manager or the head of sales (their record on file).
        case manager
        /// A dealer's contact.
        case contact
        /// A fixed address from the rules or the operators' list.
        case address
    }

    public var kind: Kind
    public var managerID: UUID?
    public var name: String?
    /// An e-mail address, or a Telegram chat id.
    public var address: String

    public init(kind: Kind, managerID: UUID? = nil, name: String? = nil, address: String) {
        self.kind = kind
        self.managerID = managerID
        self.name = name
        self.address = address
    }
}

/// One message the router decided on: by which rule, to whom, how, and not before when.
public struct PlannedNotification: Sendable, Equatable {
    public var rule: String
    public var channel: NotificationChannel
    public var recipient: NotificationRecipient
    public var urgent: Bool
    public var notBefore: Date

    public init(rule: String, channel: NotificationChannel, recipient: NotificationRecipient, urgent: Bool, notBefore: Date) {
        self.rule = rule
        self.channel = channel
        self.recipient = recipient
        self.urgent = urgent
        self.notBefore = notBefore
    }
}

/// Everything the router needs to know about one event's people.
public struct NotificationFacts: Sendable {
    public var event: DomainEvent
    /// The dealer the event is about, as it is now (nil for events of no dealer).
    public var dealer: Dealer?
    /// Every manager on file (inactive ones are skipped).
    public var managers: [UUID: Manager]
    public var mutes: [NotificationMute]
    /// `notifications.operators`.
    public var operators: [String]
    /// Linked Telegram chats by manager.
    public var telegramChats: [UUID: String]
    /// Chats the dealer's contacts linked, by `ContactChat.key(dealer, e-mail)`.
    public var contactChats: [String: String]

    public init(
        event: DomainEvent, dealer: Dealer?, managers: [UUID: Manager], mutes: [NotificationMute] = [], operators: [String] = [],
        telegramChats: [UUID: String] = [:], contactChats: [String: String] = [:]
    ) {
        self.event = event
        self.dealer = dealer
        self.managers = managers
        self.mutes = mutes
        self.operators = operators
        self.telegramChats = telegramChats
        self.contactChats = contactChats
    }
}

/// Decides who hears of an event: the rules that match it, their audiences resolved to people on
/// file, each person's mutes, the first channel they can be reached on, and quiet hours.
public enum NotificationRouter {
    /// The messages for one event, each (channel, address) once: the first rule that reaches an
    /// address decides how. `channels` are the ones configured on this installation.
    public static func plan(
        _ facts: NotificationFacts, rules: [NotificationRule], channels: Set<NotificationChannel>, quietHours: QuietHours?,
        timeZone: TimeZone
    ) -> [PlannedNotification] {
        let event = facts.event
        let amount = amount(of: event)
        var planned: [PlannedNotification] = []
        var seen: Set<String> = []
        for rule in rules where rule.matches(event.type, dealer: facts.dealer, amount: amount) {
            let due = event.occurredAt
            let notBefore = rule.urgent ? due : (rule.quietHours ?? quietHours)?.release(of: due, in: timeZone) ?? due
            for person in people(rule.audiences, facts) {
                if let managerID = person.managerID,
                    facts.mutes.contains(where: { $0.managerID == managerID && $0.silences(event.type, dealerID: event.dealerID) })
                {
                    continue
                }
                guard
                    let (channel, address) = reach(
                        person, by: rule.channels, available: channels, chats: facts.telegramChats, contactChats: facts.contactChats)
                else { continue }
                guard seen.insert(channel.rawValue + ":" + address).inserted else { continue }
                var recipient = person.recipient
                recipient.address = address
                planned.append(
                    PlannedNotification(rule: rule.name, channel: channel, recipient: recipient, urgent: rule.urgent, notBefore: notBefore))
            }
        }
        return planned
    }

    /// The amount at stake that `when.amount_over` compares: the debt of a credit alert, the
    /// requested shipment of a block, the plan of a month behind it.
    public static func amount(of event: DomainEvent) -> Decimal? {
        let text: String? =
            switch event.type {
            case .creditLimitWarning, .creditLimitBreached, .creditLimitRestored, .creditOverdue, .creditOverdueCleared:
                (try? event.payload(as: CreditStateChanged.self))?.balance
            case .creditShipmentBlocked: (try? event.payload(as: ShipmentBlocked.self))?.check.requested
            case .planBehind: (try? event.payload(as: PlanBehind.self))?.plan
            case .creditPaymentReminder: (try? event.payload(as: PaymentReminder.self))?.total
            case .creditPromiseKept, .creditPromiseBroken: (try? event.payload(as: PromiseSettled.self))?.amount
            default: nil
            }
        return text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// Whether an event is still news when it is fanned out: one older than `maxAge` is passed over
    /// (notifications switched on long after the events, or a long outage: the morning digest tells
    /// the state instead of a day-old alert). nil: every event is news.
    public static func isNews(_ event: DomainEvent, now: Date, maxAge: TimeInterval?) -> Bool {
        guard let maxAge else { return true }
        return now.timeIntervalSince(event.occurredAt) <= maxAge
    }

    /// How a manager is reached for a message of no event (a digest): the first channel of
    /// `preference` configured here that he can be reached on.
    public static func reach(
        _ manager: Manager, by preference: [NotificationChannel], available: Set<NotificationChannel>, telegramChats: [UUID: String]
    ) -> (channel: NotificationChannel, address: String)? {
        guard manager.active else { return nil }
        let person = Person(
            recipient: NotificationRecipient(kind: .manager, managerID: manager.id, name: manager.name, address: ""), email: manager.email)
        return reach(person, by: preference, available: available, chats: telegramChats).map { ($0.0, $0.1) }
    }

    private struct Person {
        var recipient: NotificationRecipient
        var managerID: UUID? { recipient.managerID }
        var email: String?
        /// A dealer's contact: the key its linked chat is filed under.
        var contactChat: String?
    }

    private static func people(_ audiences: [Audience], _ facts: NotificationFacts) -> [Person] {
        func manager(_ id: UUID?) -> [Person] {
            guard let id, let manager = facts.managers[id], manager.active else { return [] }
            return [Person(recipient: NotificationRecipient(kind: .manager, managerID: id, name: manager.name, address: ""), email: manager.email)]
        }
        var result: [Person] = []
        for audience in audiences {
            if audience.needsDealer && facts.dealer == nil { continue }
            switch audience {
            case .manager: result += manager(facts.dealer?.managerID)
            case .serviceSpecialist: result += manager(facts.dealer?.serviceSpecialistID)
            case .headOfSales:
                for head in facts.managers.values.filter({ $0.role == .head && $0.active }).sorted(by: { $0.email < $1.email }) {
                    result += manager(head.id)
                }
            case .operators:
                result += facts.operators.map { Person(recipient: NotificationRecipient(kind: .address, address: ""), email: $0) }
            case .contact(let purpose):
                for contact in facts.dealer?.contacts ?? [] where contact.purpose == purpose {
                    guard let email = contact.email else { continue }
                    result.append(
                        Person(
                            recipient: NotificationRecipient(kind: .contact, name: contact.name, address: ""), email: email.lowercased(),
                            contactChat: facts.dealer.map { ContactChat.key($0.id, email) }))
                }
            case .email(let address):
                result.append(Person(recipient: NotificationRecipient(kind: .address, address: ""), email: address))
            }
        }
        return result
    }

    private static func reach(
        _ person: Person, by preference: [NotificationChannel], available: Set<NotificationChannel>, chats: [UUID: String],
        contactChats: [String: String] = [:]
    ) -> (NotificationChannel, String)? {
        for channel in preference where available.contains(channel) {
            switch channel {
            case .email:
                if let email = person.email { return (.email, email) }
            case .telegram:
                if let id = person.managerID, let chat = chats[id] { return (.telegram, chat) }
                if let key = person.contactChat, let chat = contactChats[key] { return (.telegram, chat) }
            }
        }
        return nil
    }
}
