import DealerCore
import Foundation
import Testing

@Suite("Notification routing: rules, audiences, mutes, channels and quiet hours")
struct NotificationRoutingTests {
    static let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt
    static let anna = Manager(id: UUID(), name: "Анна", email: "anna@example.ru", role: .existingClients, createdAt: .now, updatedAt: .now)
    static let vera = Manager(id: UUID(), name: "Вера", email: "vera@example.ru", role: .service, createdAt: .now, updatedAt: .now)
    static let oleg = Manager(id: UUID(), name: "Олег", email: "oleg@example.ru", role: .head, createdAt: .now, updatedAt: .now)
    static let retired = Manager(id: UUID(), name: "Ушла", email: "old@example.ru", role: .head, active: false, createdAt: .now, updatedAt: .now)
    static var managers: [UUID: Manager] { Dictionary(uniqueKeysWithValues: [anna, vera, oleg, retired].map { ($0.id, $0) }) }

    static func dealer(segment: String = "cars", region: String = "Москва") throws -> Dealer {
        Dealer(
            id: UUID(), code: "D-1", name: "Альфа Моторс", legalName: "ООО «Альфа»", taxID: try TaxID("7707083893"), region: region,
            segment: segment, managerID: anna.id, serviceSpecialistID: vera.id,
            contacts: [
                Contact(name: "Бухгалтерия", email: "BUH@alfa.example", purpose: .accounting), Contact(name: "Без почты", purpose: .accounting),
                Contact(name: "Директор", email: "boss@alfa.example", purpose: .director),
            ],
            status: .accredited, statusChangedAt: .now, createdAt: .now, updatedAt: .now)
    }

    /// 2026-12-01 at `hour`:`minute` in Moscow.
    static func moscowTime(_ hour: Int, _ minute: Int = 0, day: Int = 1) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = moscow
        return calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute)) ?? .distantPast
    }

    static func breach(_ dealer: Dealer, balance: String = "1050000.00", at: Date = moscowTime(12)) throws -> DomainEvent {
        try DomainEvent(
            type: .creditLimitBreached, occurredAt: at, dealerID: dealer.id,
            payload: CreditStateChanged(
                dealerID: dealer.id, code: dealer.code, from: "warning", to: "breached",
                balance: try Money(parsing: balance, currency: .rub), limit: try Money(parsing: "1000000.00", currency: .rub),
                overdue: try Money(parsing: "120000.00", currency: .rub), daysOverdue: 12,
                asOf: CivilDate(year: 2026, month: 12, day: 1) ?? .init(daysSinceEpoch: 0),
                source: .write))
    }

    static func plan(
        _ event: DomainEvent, dealer: Dealer?, rules: [NotificationRule], mutes: [NotificationMute] = [], chats: [UUID: String] = [:],
        channels: Set<NotificationChannel> = [.email], quiet: QuietHours? = nil
    ) -> [PlannedNotification] {
        NotificationRouter.plan(
            NotificationFacts(event: event, dealer: dealer, managers: managers, mutes: mutes, operators: ["ops@maker.example"], telegramChats: chats),
            rules: rules, channels: channels, quietHours: quiet, timeZone: moscow)
    }

    @Test func audiencesResolveToPeopleOnFileEachAddressOnce() throws {
        let dealer = try Self.dealer()
        let rules = [
            NotificationRule(name: "breach", events: [.creditLimitBreached], audiences: [.manager, .headOfSales, .contact(.accounting)]),
            NotificationRule(
                name: "again", events: [.creditLimitBreached], audiences: [.serviceSpecialist, .manager, .operators, .email("cfo@maker.example")]),
            NotificationRule(name: "other", events: [.rhythmLate], audiences: [.manager]),
        ]
        let planned = Self.plan(try Self.breach(dealer), dealer: dealer, rules: rules)
        #expect(
            planned.map(\.recipient.address) == [
                "anna@example.ru", "oleg@example.ru", "buh@alfa.example", "vera@example.ru", "ops@maker.example", "cfo@maker.example",
            ],
            "the inactive head and the contact without e-mail are nobody to write to; Anna once, by the first rule")
        #expect(planned.map(\.rule) == ["breach", "breach", "breach", "again", "again", "again"])
        #expect(planned.first?.recipient == NotificationRecipient(kind: .manager, managerID: Self.anna.id, name: "Анна", address: "anna@example.ru"))
        #expect(planned[2].recipient.kind == .contact && planned[2].recipient.name == "Бухгалтерия")
    }

    @Test func aMuteSilencesItsPersonOnlyForItsDealerOrType() throws {
        let dealer = try Self.dealer()
        let rules = [NotificationRule(name: "breach", events: [.creditLimitBreached], audiences: [.manager, .headOfSales])]
        let event = try Self.breach(dealer)
        let byDealer = Self.plan(event, dealer: dealer, rules: rules, mutes: [NotificationMute(managerID: Self.anna.id, dealerID: dealer.id)])
        #expect(byDealer.map(\.recipient.address) == ["oleg@example.ru"])
        let byType = Self.plan(
            event, dealer: dealer, rules: rules, mutes: [NotificationMute(managerID: Self.anna.id, eventType: .creditLimitBreached)])
        #expect(byType.map(\.recipient.address) == ["oleg@example.ru"])
        let otherType = Self.plan(event, dealer: dealer, rules: rules, mutes: [NotificationMute(managerID: Self.anna.id, eventType: .rhythmLate)])
        #expect(otherType.count == 2)
        let otherDealer = Self.plan(event, dealer: dealer, rules: rules, mutes: [NotificationMute(managerID: Self.anna.id, dealerID: UUID())])
        #expect(otherDealer.count == 2)
        let empty = Self.plan(event, dealer: dealer, rules: rules, mutes: [NotificationMute(managerID: Self.anna.id)])
        #expect(empty.count == 2, "a mute of nothing silences nothing")
    }

    @Test func theFirstChannelAPersonCanBeReachedOnIsUsed() throws {
        let dealer = try Self.dealer()
        let rules = [
            NotificationRule(name: "breach", events: [.creditLimitBreached], audiences: [.manager, .headOfSales], channels: [.telegram, .email])
        ]
        let event = try Self.breach(dealer)
        let planned = Self.plan(event, dealer: dealer, rules: rules, chats: [Self.anna.id: "5001"], channels: [.email, .telegram])
        #expect(planned.map { "\($0.channel.rawValue):\($0.recipient.address)" } == ["telegram:5001", "email:oleg@example.ru"])
        let noTelegram = Self.plan(event, dealer: dealer, rules: rules, chats: [Self.anna.id: "5001"], channels: [.email])
        #expect(noTelegram.map(\.channel) == [.email, .email], "a channel not configured here is passed over")
        let telegramOnly = [NotificationRule(name: "t", events: [.creditLimitBreached], audiences: [.manager, .headOfSales], channels: [.telegram])]
        #expect(Self.plan(event, dealer: dealer, rules: telegramOnly, chats: [Self.anna.id: "5001"], channels: [.email, .telegram]).count == 1)
    }

    /// A contact is known by dealer and e-mail (any case): its linked chat wins where the rule
    /// prefers Telegram; another dealer's chat for the same e-mail is not this contact's.
    @Test func aContactsLinkedChatIsUsedWhereTheRulePrefersTelegram() throws {
        let dealer = try Self.dealer()
        let rules = [
            NotificationRule(name: "remind", events: [.creditLimitBreached], audiences: [.contact(.accounting)], channels: [.telegram, .email])
        ]
        let event = try Self.breach(dealer)
        func plan(_ contactChats: [String: String]) -> [String] {
            NotificationRouter.plan(
                NotificationFacts(event: event, dealer: dealer, managers: Self.managers, contactChats: contactChats), rules: rules,
                channels: [.email, .telegram], quietHours: nil, timeZone: Self.moscow
            ).map { "\($0.channel.rawValue):\($0.recipient.address)" }
        }
        #expect(plan([ContactChat.key(dealer.id, "buh@alfa.example"): "7001"]) == ["telegram:7001"])
        #expect(plan([:]) == ["email:buh@alfa.example"], "not linked: by e-mail")
        #expect(plan([ContactChat.key(UUID(), "buh@alfa.example"): "7001"]) == ["email:buh@alfa.example"], "another dealer's contact")
        #expect(ContactChat.key(dealer.id, "BUH@alfa.example") == ContactChat.key(dealer.id, "buh@alfa.example"))
    }

    @Test func filtersNarrowByTheDealerAndTheAmountAtStake() throws {
        let cars = try Self.dealer()
        let trucks = try Self.dealer(segment: "trucks", region: "Казань")
        let rule = NotificationRule(
            name: "big", events: [.creditLimitBreached], audiences: [.email("cfo@maker.example")], segments: ["trucks"], regions: ["Казань"],
            amountOver: Decimal(string: "2000000"))
        #expect(Self.plan(try Self.breach(trucks, balance: "2500000.00"), dealer: trucks, rules: [rule]).count == 1)
        #expect(Self.plan(try Self.breach(trucks, balance: "2000000.00"), dealer: trucks, rules: [rule]).isEmpty, "above, not at")
        #expect(Self.plan(try Self.breach(cars, balance: "2500000.00"), dealer: cars, rules: [rule]).isEmpty)
        #expect(Self.plan(try Self.breach(trucks, balance: "2500000.00"), dealer: nil, rules: [rule]).isEmpty, "no dealer, no segment")
    }

    @Test func quietHoursHoldAMessageUntilMorningUnlessItIsUrgent() throws {
        let dealer = try Self.dealer()
        let quiet = try #require(QuietHours(parsing: "21:00-08:00"))
        let late = try Self.breach(dealer, at: Self.moscowTime(23, 30))
        let calm = [NotificationRule(name: "n", events: [.creditLimitBreached], audiences: [.manager])]
        #expect(Self.plan(late, dealer: dealer, rules: calm, quiet: quiet).first?.notBefore == Self.moscowTime(8, day: 2))
        let early = try Self.breach(dealer, at: Self.moscowTime(6, 15))
        #expect(Self.plan(early, dealer: dealer, rules: calm, quiet: quiet).first?.notBefore == Self.moscowTime(8))
        let day = try Self.breach(dealer, at: Self.moscowTime(12))
        #expect(Self.plan(day, dealer: dealer, rules: calm, quiet: quiet).first?.notBefore == Self.moscowTime(12))
        let urgent = [NotificationRule(name: "u", events: [.creditLimitBreached], audiences: [.manager], urgent: true)]
        #expect(Self.plan(late, dealer: dealer, rules: urgent, quiet: quiet).first?.notBefore == Self.moscowTime(23, 30))
        let lunch = try #require(QuietHours(parsing: "13:00-14:00"))
        #expect(lunch.release(of: Self.moscowTime(13, 30), in: Self.moscow) == Self.moscowTime(14))
        #expect(lunch.release(of: Self.moscowTime(14), in: Self.moscow) == Self.moscowTime(14))
        for bad in ["21:00", "25:00-08:00", "21:00-21:00", "9-10", "21:00-08:0"] { #expect(QuietHours(parsing: bad) == nil, "\(bad)") }
        #expect(quiet.description == "21:00-08:00")
    }

    @Test func aQuietNightAcrossADaylightSavingChangeEndsAtTheLocalMorning() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = berlin
        // The night the clocks go back (25 October 2026): 23:00 on the 24th, held until 08:00 on the 25th.
        let evening = try #require(calendar.date(from: DateComponents(year: 2026, month: 10, day: 24, hour: 23)))
        let morning = try #require(calendar.date(from: DateComponents(year: 2026, month: 10, day: 25, hour: 8)))
        let quiet = try #require(QuietHours(parsing: "22:00-08:00"))
        #expect(quiet.release(of: evening, in: berlin) == morning)
        #expect(morning.timeIntervalSince(evening) == 10 * 3600, "nine hours on the clock, ten in fact")
    }

    @Test func theRulesFileIsCheckedWithEveryProblemNamed() throws {
        let file = try JSONValueDecoder().decode(
            NotificationRulesFile.self,
            from: .object([
                "rules": .array([
                    .object(["name": .string("ok"), "events": .array([.string("credit.limit_breached")]), "to": .array([.string("manager")])]),
                    .object([
                        "name": .string("bad"), "events": .array([.string("credit.nope")]),
                        "to": .array([.string("everyone"), .string("email:not-mail")]),
                        "channels": .array([.string("pigeon")]), "quiet_hours": .string("late"),
                        "when": .object(["amount_over": .string("a lot")]),
                    ]),
                    .object(["name": .string("ok"), "events": .array([]), "to": .array([])]),
                ])
            ]))
        let (rules, problems) = file.checked()
        #expect(rules.first?.channels == [.telegram, .email], "telegram first, e-mail next, when a rule names none")
        #expect(
            problems == [
                "rules[1] (bad).events: unknown event type credit.nope",
                "rules[1] (bad).to: everyone is not an audience (manager, service_specialist, head_of_sales, operators, contact:accounting|director|orders, email:ADDRESS)",
                "rules[1] (bad).to: email:not-mail is not an audience (manager, service_specialist, head_of_sales, operators, contact:accounting|director|orders, email:ADDRESS)",
                "rules[1] (bad).channels: unknown channel pigeon",
                "rules[1] (bad).channels: name at least one channel",
                "rules[1] (bad).quiet_hours: expected HH:MM-HH:MM, e.g. 21:00-08:00",
                "rules[1] (bad).when.amount_over: expected a decimal amount such as \"500000\"",
                "rules[2] (ok).name: another rule has this name",
                "rules[2] (ok).events: name at least one event type",
                "rules[2] (ok).to: name at least one audience",
            ])
    }

    @Test func messageFactsAreTheEventsFiguresInRussian() throws {
        let dealer = try Self.dealer()
        let facts = MessageFacts.of(try Self.breach(dealer), dealer: dealer, timeZone: Self.moscow)
        #expect(facts.title == "Превышен кредитный лимит")
        #expect(facts.values["balance"] == "1\u{00A0}050\u{00A0}000\u{00A0}₽")
        #expect(facts.values["limit"] == "1\u{00A0}000\u{00A0}000\u{00A0}₽")
        #expect(facts.values["utilisation"] == "105\u{00A0}%")
        #expect(facts.values["overdue"] == "120\u{00A0}000\u{00A0}₽")
        #expect(facts.values["days_overdue"] == "12 дней")
        #expect(facts.values["occurred_at"] == "01.12.2026 12:00")
        #expect(facts.values["dealer_name"] == "Альфа Моторс")
        #expect(facts.flags == ["has_limit", "has_overdue"])
        #expect(RussianText.money(try Money(parsing: "1234.50", currency: .rub)) == "1\u{00A0}234,50\u{00A0}₽")
        #expect(RussianText.money(try Money(parsing: "-5", currency: .rub)) == "-5\u{00A0}₽")
        #expect(RussianText.money("10.00", currency: "USD") == "10\u{00A0}USD")
        #expect([1, 2, 5, 11, 21, 22, 112].map(RussianText.days) == ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "112 дней"])
        #expect(RussianText.percent("1", of: "0") == nil)
    }
}
