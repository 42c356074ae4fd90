import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Alerts reach people by e-mail: a real dealerd routes its events by the shipped rules and
/// templates to a real SMTP server on loopback (STARTTLS, AUTH, its own certificate authority), and
/// what arrives is read back as a mail client shows it.
@Suite("Notifications by e-mail through a real SMTP server")
struct NotificationEmailAPITests {
    /// Anna manages «Альфа Моторс», Boris «Бета Трак» (and mutes it), Oleg is the head of sales.
    static func department(_ store: Store) async throws -> [String: String] {
        var keys: [String: String] = [:]
        for (name, email, role) in [
            ("Анна Иванова", "anna@example.ru", SalesRole.existingClients), ("Борис Орлов", "boris@example.ru", .existingClients),
            ("Олег Петров", "head@example.ru", .head),
        ] {
            _ = try await store.createManager(ManagerDraft(name: name, email: email, role: role), by: .cli)
            keys[email] = try await store.createAPIKey(name: "key-\(email)", role: .manager, manager: email, by: .cli).secret
        }
        return keys
    }

    static func configure(_ sink: SMTPSink) -> @Sendable (inout DealerdConfig) -> Void {
        { config in
            config.notifications.smtp = SMTPSettings(
                host: "127.0.0.1", port: sink.port, security: .starttls, username: sink.user, password: sink.password,
                from: MIMEMessage.Mailbox(name: "Отдел продаж", address: "dealerd@maker.example"), heloName: "dealerd.test", timeout: 10,
                caFile: sink.certificate)
            config.notifications.pollInterval = 0.2
            config.notifications.retry = WebhookRetrySchedule(delays: [0, 0.2, 0.2], jitter: 0)
            // The test runs at any hour: nothing waits for the morning.
            config.quietHours = nil
            config.consoleURL = "https://dealerd.example.ru"
            // Letters to the dealer's accounting contact too (the payment reminders' audience).
            config.notificationRules.append(
                NotificationRule(name: "to-accounting", events: [.creditLimitBreached], audiences: [.contact(.accounting)], channels: [.email]))
        }
    }

    @Test(arguments: Backend.available)
    func aBreachReachesTheManagerAndTheHeadAndAMutedDealerOnlyTheHead(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        try await APIHarness.run(backend, configure: Self.configure(sink), prepare: Self.department) { api in
            let managers = try await api.call(.get, "/v1/managers").json["items"]?.array ?? []
            let id = { (email: String) in managers.first { $0["email"]?.stringValue == email }?["id"]?.stringValue ?? "" }
            let alfa = try #require(
                try await api.call(
                    .post, "/v1/dealers",
                    json: dealerJSON(
                        code: "D-001", name: "Альфа Моторс",
                        extra:
                            #""manager_id": "\#(id("anna@example.ru"))", "contacts": [{"name": "Бухгалтерия", "email": "buh@alfa.example", "purpose": "accounting"}]"#
                    )
                ).json["id"]?.stringValue)
            let beta = try #require(
                try await api.call(
                    .post, "/v1/dealers",
                    json: dealerJSON(
                        code: "D-002", name: "Бета Трак", taxID: KnownINN.organisations[1], extra: #""manager_id": "\#(id("boris@example.ru"))""#)
                ).json["id"]?.stringValue)
            let card = try await api.call(.get, "/v1/dealers/\(alfa)")
            #expect(card.json["contacts"]?.array.first?["purpose"] == .string("accounting"), "\(card.text)")

            // Boris silences «Бета Трак» for himself.
            let boris = api.bearer("boris@example.ru")
            let muted = try await api.call(
                .post, "/v1/managers/\(id("boris@example.ru"))/mutes", as: nil, json: #"{"dealer_id": "\#(beta)"}"#, headers: boris)
            #expect(muted.status == .created, "\(muted.text)")
            let again = try await api.call(
                .post, "/v1/managers/\(id("boris@example.ru"))/mutes", as: nil, json: #"{"dealer_id": "\#(beta)"}"#, headers: boris)
            #expect(again.status == .ok && again.json["items"]?.array.count == 1, "\(again.text)")
            let others = try await api.call(
                .post, "/v1/managers/\(id("anna@example.ru"))/mutes", as: nil, json: #"{"dealer_id": "\#(beta)"}"#, headers: boris)
            #expect(others.status == .forbidden, "a manager keeps his own mutes only")
            let empty = try await api.call(.post, "/v1/managers/\(id("boris@example.ru"))/mutes", as: nil, json: "{}", headers: boris)
            #expect(empty.status == .unprocessableContent, "\(empty.text)")

            for (dealer, number) in [(alfa, "РН-1"), (beta, "РН-2")] {
                let policy = try await api.call(
                    .put, "/v1/dealers/\(dealer)/credit-policy", as: .accountant, json: #"{"limit": "1000000.00", "reason": "договор"}"#)
                #expect(policy.status == .ok, "\(policy.text)")
                let shipped = try await api.call(
                    .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                    json:
                        #"{"external_id": "\#(number)", "kind": "shipment", "document_number": "\#(number)", "document_date": "20.11.2026", "amount": "1 050 000,00"}"#
                )
                #expect(shipped.status == .created, "\(shipped.text)")
            }

            let mail = try await sink.waitFor(4)
            #expect(mail.count == 4, "Альфа to Anna, the head and its accounting, Бета to the head only: \(mail.map(\.rcptTos))")
            let toAnna = try #require(mail.first { $0.rcptTos == ["anna@example.ru"] })
            #expect(toAnna.subject == "⚠️ «Альфа Моторс» превысил кредитный лимит")
            #expect(toAnna.from == "Отдел продаж <dealerd@maker.example>")
            #expect(toAnna.to == "Анна Иванова <anna@example.ru>")
            #expect(toAnna.tls && toAnna.auth, "sent after STARTTLS and AUTH")
            let text = try #require(toAnna.text)
            #expect(
                text.contains(
                    "«Альфа Моторс» (D-001) превысил кредитный лимит: долг 1\u{00A0}050\u{00A0}000\u{00A0}₽ при лимите 1\u{00A0}000\u{00A0}000\u{00A0}₽ (105\u{00A0}%)."
                ), "\(text)")
            #expect(text.contains("https://dealerd.example.ru/dealers/\(alfa)"))
            let html = try #require(toAnna.html)
            #expect(html.contains("Открыть карточку дилера") && html.contains("href=\"https://dealerd.example.ru/dealers/\(alfa)\""))
            #expect(toAnna.rawHeaders.contains("Subject: =?utf-8?B?"), "a Cyrillic subject travels as RFC 2047 words")
            #expect(toAnna.listUnsubscribe == nil, "our own staff are not a mailing list")
            let toAccounting = try #require(mail.first { $0.rcptTos == ["buh@alfa.example"] })
            #expect(toAccounting.to == "Бухгалтерия <buh@alfa.example>")
            #expect(toAccounting.listUnsubscribe == "<mailto:dealerd@maker.example?subject=unsubscribe>", "a dealer's people may opt out")
            let toHead = mail.filter { $0.rcptTos == ["head@example.ru"] }.map(\.subject).sorted()
            #expect(toHead == ["⚠️ «Альфа Моторс» превысил кредитный лимит", "⚠️ «Бета Трак» превысил кредитный лимит"])
            #expect(!mail.contains { $0.rcptTos == ["boris@example.ru"] }, "Boris muted «Бета Трак»")

            // The log: every message sent, with the server's answer; a manager reads his own.
            try await eventually("the log shows every message sent") {
                let items = try await api.call(.get, "/v1/notifications").json["items"]?.array ?? []
                return items.count == 4 && items.allSatisfy { $0["status"] == .string("sent") }
            }
            let log = try await api.call(.get, "/v1/notifications?dealer_id=\(alfa)")
            let annaEntry = try #require(log.json["items"]?.array.first { $0["recipient"]?["address"] == .string("anna@example.ru") })
            #expect(annaEntry["rule"] == .string("limit-breach") && annaEntry["channel"] == .string("email"))
            #expect(annaEntry["attempts"]?.array.first?["response"]?.stringValue?.contains("queued") == true, "\(annaEntry)")
            let messageID = try #require(annaEntry["id"]?.stringValue)
            #expect(toAnna.messageId == "<\(messageID)@maker.example>", "the Message-ID is the message's own")
            let own = try await api.call(.get, "/v1/notifications", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(own.json["items"]?.array.count == 1, "\(own.text)")
            let forbidden = try await api.call(
                .get, "/v1/notifications?manager_id=\(id("head@example.ru"))", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(forbidden.status == .forbidden)
            let hidden = try await api.call(.get, "/v1/notifications/\(messageID)", as: nil, headers: boris)
            #expect(hidden.status == .notFound, "another manager's message is not his to see")
            let headReads = try await api.call(.get, "/v1/notifications", as: nil, headers: api.bearer("head@example.ru"))
            #expect(headReads.json["items"]?.array.count == 4)

            // Redelivery sends the same message again, with the same Message-ID.
            let redelivered = try await api.call(.post, "/v1/notifications/\(messageID)/redeliver")
            #expect(redelivered.status == .accepted, "\(redelivered.text)")
            let resent = try await sink.waitFor(5)
            #expect(resent.filter { $0.messageId == "<\(messageID)@maker.example>" }.count == 2)
            let byManager = try await api.call(.post, "/v1/notifications/\(messageID)/redeliver", as: nil, headers: api.bearer("anna@example.ru"))
            #expect(byManager.status == .forbidden)

            // Unmuted, Boris hears of «Бета Трак» again.
            let unmuted = try await api.call(.delete, "/v1/managers/\(id("boris@example.ru"))/mutes?dealer_id=\(beta)", as: nil, headers: boris)
            #expect(unmuted.status == .noContent)
            let gone = try await api.call(.delete, "/v1/managers/\(id("boris@example.ru"))/mutes?dealer_id=\(beta)", as: nil, headers: boris)
            #expect(gone.status == .notFound)
        }
    }

    @Test(arguments: Backend.available)
    func aRefusedMailboxIsExhaustedAtOnceAndAServerThatIsDownIsRetriedOnSchedule(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start(refuse: ["anna@example.ru"])
        try await APIHarness.run(backend, configure: Self.configure(sink), prepare: Self.department) { api in
            let managers = try await api.call(.get, "/v1/managers").json["items"]?.array ?? []
            let anna = try #require(managers.first { $0["email"]?.stringValue == "anna@example.ru" }?["id"]?.stringValue)
            let dealer = try #require(
                try await api.call(.post, "/v1/dealers", json: dealerJSON(code: "D-9", name: "Гамма", extra: #""manager_id": "\#(anna)""#)).json[
                    "id"]?
                    .stringValue)
            _ = try await api.call(.put, "/v1/dealers/\(dealer)/credit-policy", as: .accountant, json: #"{"limit": "100.00", "reason": "договор"}"#)
            _ = try await api.call(
                .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                json: #"{"external_id": "X-1", "kind": "shipment", "document_number": "X-1", "document_date": "2026-11-20", "amount": "500.00"}"#)
            try await eventually("Anna's message is refused for good and the head's sent") {
                let items = try await api.call(.get, "/v1/notifications?dealer_id=\(dealer)").json["items"]?.array ?? []
                let anna = items.first { $0["recipient"]?["address"] == .string("anna@example.ru") }
                let head = items.first { $0["recipient"]?["address"] == .string("head@example.ru") }
                return anna?["status"] == .string("exhausted") && head?["status"] == .string("sent")
            }
            let items = try await api.call(.get, "/v1/notifications?dealer_id=\(dealer)&status=exhausted").json["items"]?.array ?? []
            let refused = try #require(items.first)
            #expect(refused["attempts"]?.array.count == 1, "no retry of a mailbox that does not exist: \(refused)")
            #expect(refused["last_error"]?.stringValue?.contains("550") == true, "\(refused)")

            // With the server gone every attempt fails, is logged, and the schedule (three tries) runs out.
            try await sink.stop()
            let second = try #require(
                try await api.call(
                    .post, "/v1/dealers",
                    json: dealerJSON(code: "D-10", name: "Дельта", taxID: KnownINN.organisations[1], extra: #""manager_id": "\#(anna)""#)
                ).json["id"]?
                .stringValue)
            _ = try await api.call(.put, "/v1/dealers/\(second)/credit-policy", as: .accountant, json: #"{"limit": "100.00", "reason": "договор"}"#)
            _ = try await api.call(
                .post, "/v1/dealers/\(second)/ledger", as: .integration,
                json: #"{"external_id": "X-2", "kind": "shipment", "document_number": "X-2", "document_date": "2026-11-21", "amount": "500.00"}"#)
            let headsMessage =
                "/v1/notifications?dealer_id=\(second)&manager_id=\(try #require(managers.first { $0["email"]?.stringValue == "head@example.ru" }?["id"]?.stringValue))"
            try await eventually("the head's message is exhausted after its retries") {
                try await api.call(.get, headsMessage).json["items"]?.array.first?["status"] == .string("exhausted")
            }
            let attempts = try await api.call(.get, headsMessage).json["items"]?.array.first?["attempts"]?.array ?? []
            #expect(attempts.count == 3, "\(attempts)")
            #expect(attempts.allSatisfy { $0["error"]?.stringValue?.contains("connection to 127.0.0.1") == true }, "\(attempts)")
        }
    }
}
