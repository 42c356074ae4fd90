import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Alerts in Telegram: a manager links his chat with one deep link, the bot binds it on `/start`,
/// breaches reach the chat with the figures, a 429 is waited out as `retry_after` says, `/stop` ends it.
/// The Bot API is a fake on loopback; everything else is the real dealerd.
@Suite("Notifications in Telegram through the Bot API")
struct NotificationTelegramAPITests {
    @Test(arguments: Backend.available)
    func aManagerLinksHisChatInOneClickAndHearsOfABreachThere(_ backend: Backend) async throws {
        try await withFakeTelegram { fake in
            let configure: @Sendable (inout DealerdConfig) -> Void = { config in
                config.notifications.telegram = TelegramSettings(
                    botName: "dealerd_test_bot", token: fake.token, apiURL: fake.url, perChatInterval: 0.05, timeout: 5)
                config.notifications.pollInterval = 0.2
                config.notifications.retry = WebhookRetrySchedule(delays: [0, 0.2, 0.2, 0.2], jitter: 0)
                config.quietHours = nil
                config.consoleURL = "https://dealerd.example.ru"
            }
            try await APIHarness.run(backend, configure: configure, prepare: NotificationEmailAPITests.department) { api in
                let managers = try await api.call(.get, "/v1/managers").json["items"]?.array ?? []
                let id = { (email: String) in managers.first { $0["email"]?.stringValue == email }?["id"]?.stringValue ?? "" }
                let anna = api.bearer("anna@example.ru")
                let annaID = id("anna@example.ru")

                let link = try await api.call(.post, "/v1/managers/\(id("anna@example.ru"))/telegram-link", as: nil, headers: anna)
                #expect(link.status == .created, "\(link.text)")
                let url = try #require(link.json["url"]?.stringValue)
                #expect(url.hasPrefix("https://t.me/dealerd_test_bot?start="))
                let code = String(url.dropFirst("https://t.me/dealerd_test_bot?start=".count))
                #expect(code.count >= 32 && code.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "\(code)")
                let notHers = try await api.call(.post, "/v1/managers/\(id("head@example.ru"))/telegram-link", as: nil, headers: anna)
                #expect(notHers.status == .forbidden)

                // Anna opens the link: Telegram sends the bot "/start CODE" from her chat.
                fake.userWrites("/start \(code)", chat: 5001, username: "anna")
                try await eventually("the chat is linked") {
                    try await api.call(.get, "/v1/managers/\(annaID)/telegram", as: nil, headers: anna).json["chat_id"]
                        == .string("5001")
                }
                try await eventually("the bot confirms") { fake.sent.contains { $0.chatID == "5001" && $0.text.hasPrefix("Готово, Анна Иванова") } }
                // The code is spent: another chat cannot take it over.
                fake.userWrites("/start \(code)", chat: 6002, username: "someone")
                try await eventually("the second use is refused") {
                    fake.sent.contains { $0.chatID == "6002" && $0.text.contains("недействительна") }
                }
                #expect(
                    try await api.call(.get, "/v1/managers/\(id("anna@example.ru"))/telegram").json["chat_id"] == .string("5001"))

                // A breach of her dealer reaches her chat, after Telegram's 429 is waited out.
                fake.tooManyRequests(to: "5001", times: 1)
                let dealer = try #require(
                    try await api.call(
                        .post, "/v1/dealers",
                        json: dealerJSON(code: "D-001", name: "Альфа <Моторс>", extra: #""manager_id": "\#(id("anna@example.ru"))""#)
                    ).json["id"]?.stringValue)
                _ = try await api.call(
                    .put, "/v1/dealers/\(dealer)/credit-policy", as: .accountant, json: #"{"limit": "1000000.00", "reason": "договор"}"#)
                let shipped = try await api.call(
                    .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                    json:
                        #"{"external_id": "РН-1", "kind": "shipment", "document_number": "РН-1", "document_date": "20.11.2026", "amount": "1 050 000,00"}"#
                )
                #expect(shipped.status == .created, "\(shipped.text)")
                try await eventually("the alert reaches the chat") {
                    fake.sent.contains { $0.chatID == "5001" && $0.text.contains("превысил кредитный лимит") }
                }
                let alert = try #require(fake.sent.first { $0.chatID == "5001" && $0.text.contains("превысил кредитный лимит") })
                #expect(alert.parseMode == "HTML")
                #expect(alert.text.contains("<b>«Альфа &lt;Моторс&gt;» превысил кредитный лимит</b>"), "the dealer's name is escaped: \(alert.text)")
                #expect(alert.text.contains("долг 1\u{00A0}050\u{00A0}000\u{00A0}₽ при лимите 1\u{00A0}000\u{00A0}000\u{00A0}₽ (105\u{00A0}%)"))
                #expect(alert.text.contains("<a href=\"https://dealerd.example.ru/dealers/\(dealer)\">"))
                // The chat has it a moment before the outcome is recorded.
                try await eventually("the log shows it sent") {
                    try await api.call(.get, "/v1/notifications?channel=telegram&dealer_id=\(dealer)").json["items"]?.array.first?["status"]
                        == .string("sent")
                }
                let log = try await api.call(.get, "/v1/notifications?channel=telegram&dealer_id=\(dealer)").json["items"]?.array ?? []
                let entry = try #require(log.first)
                #expect(entry["status"] == .string("sent") && entry["recipient"]?["address"] == .string("5001"), "\(entry)")
                let attempts = entry["attempts"]?.array ?? []
                #expect(attempts.count == 2 && attempts.first?["error"]?.stringValue?.contains("429") == true, "\(attempts)")
                let first = attempts.first?["started_at"]?.stringValue.flatMap(Timestamp.parse)
                let second = attempts.last?["started_at"]?.stringValue.flatMap(Timestamp.parse)
                if let first, let second { #expect(second.timeIntervalSince(first) >= 0.9, "retry_after: 1 was honoured") }
                #expect(!fake.sent.contains { $0.text.contains(fake.token) }, "the token never leaves in a message")

                // The bot answers her commands about her own dealers, as the API's lists say.
                func ask(_ text: String, chat: Int64 = 5001) async throws -> String {
                    let before = fake.sent.filter { $0.chatID == "\(chat)" }.count
                    fake.userWrites(text, chat: chat, username: "anna")
                    try await eventually("the bot answers \(text)") {
                        fake.sent.filter { $0.chatID == "\(chat)" }.count > before
                    }
                    return fake.sent.filter { $0.chatID == "\(chat)" }[before].text
                }
                let limits = try await ask("/limits")
                #expect(
                    limits
                        == "<b>Кредитный лимит</b>\n• «Альфа &lt;Моторс&gt;» (D-001): лимит превышен, долг 1\u{A0}050\u{A0}000\u{A0}₽ при лимите 1\u{A0}000\u{A0}000\u{A0}₽ (105\u{A0}%)",
                    "\(limits)")
                #expect(try await ask("/late") == "Все ваши дилеры отгружаются в ритме.", "a prospect has no rhythm yet")
                let position = try await ask("/dealer d-001")
                #expect(position.hasPrefix("<b>«Альфа &lt;Моторс&gt;»</b> (D-001)\nДолг 1\u{A0}050\u{A0}000\u{A0}₽ при лимите"), "\(position)")
                #expect(position.contains("доступно 0\u{A0}₽: лимит превышен") && position.contains("Просрочки нет"), "\(position)")
                #expect(try await ask("/dealer X-404").contains("не найден"))
                #expect(try await ask("/mute D-001").hasPrefix("Уведомления о «Альфа &lt;Моторс&gt;» больше не придут"))
                let mutes = try await api.call(.get, "/v1/managers/\(annaID)/mutes", as: nil, headers: anna).json["items"]?.array ?? []
                #expect(mutes.count == 1 && mutes.first?["dealer_id"] == .string(dealer), "the bot's mute is the API's: \(mutes)")
                _ = try await ask("/unmute D-001")
                #expect(try await api.call(.get, "/v1/managers/\(annaID)/mutes", as: nil, headers: anna).json["items"]?.array.isEmpty == true)
                #expect(try await ask("/limits", chat: 7003).hasPrefix("Этот чат не привязан"), "a stranger's chat hears nothing")

                // "/stop" from the chat unlinks it.
                fake.userWrites("/stop", chat: 5001, username: "anna")
                try await eventually("the chat is unlinked") {
                    try await api.call(.get, "/v1/managers/\(annaID)/telegram").json["linked"] == .bool(false)
                }
                let gone = try await api.call(.delete, "/v1/managers/\(id("anna@example.ru"))/telegram", as: nil, headers: anna)
                #expect(gone.status == .notFound)
            }
        }
    }

    /// A dealer's accountant links her own chat with the link the dealer's key makes for the e-mail
    /// on its card; the payment reminder then reaches her there instead of by e-mail, and `/stop`
    /// returns her to e-mail. A link for an e-mail not on the card, or for another dealer, is refused.
    @Test(arguments: Backend.available)
    func aDealersAccountantLinksHerChatAndThePaymentReminderComesThere(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        let clock = TestClock(DunningAPITests.start)
        try await withFakeTelegram { fake in
            let configure: @Sendable (inout DealerdConfig) -> Void = { config in
                NotificationEmailAPITests.configure(sink)(&config)
                config.notifications.telegram = TelegramSettings(
                    botName: "dealerd_test_bot", token: fake.token, apiURL: fake.url, perChatInterval: 0.05, timeout: 5)
                config.scheduler.pollInterval = 0.05
                DigestAPITests.skipCatchUp(of: { _ in true }, in: &config)
            }
            try await APIHarness.run(backend, configure: configure, clock: clock) { api in
                let contacts =
                    #""contacts": [{"name": "Ольга Смирнова", "email": "buh@alfa.example", "purpose": "accounting"}, {"name": "Директор", "email": "boss@alfa.example", "purpose": "director"}]"#
                let alfa = try #require(
                    try await api.call(.post, "/v1/dealers", json: dealerJSON(code: "D-001", name: "Альфа Моторс", extra: contacts)).json["id"]?
                        .stringValue)
                let beta = try #require(
                    try await api.call(.post, "/v1/dealers", json: dealerJSON(code: "D-002", name: "Бета", taxID: KnownINN.organisations[1]))
                        .json["id"]?.stringValue)
                try await api.bring(alfa, to: "accredited")
                _ = try await api.call(
                    .put, "/v1/dealers/\(alfa)/credit-policy", as: .accountant, json: #"{"limit": "1000000.00", "reason": "договор"}"#)
                let shipped = try await api.call(
                    .post, "/v1/dealers/\(alfa)/ledger", as: .integration,
                    json:
                        #"{"external_id": "РН-1", "kind": "shipment", "document_number": "РН-1", "document_date": "2026-10-01", "amount": "300000.00", "due_date": "2026-11-05"}"#
                )
                #expect(shipped.status == .created, "\(shipped.text)")

                // The dealer's own key makes the link for its accountant, named by her e-mail.
                let own = try await api.dealerKey(for: alfa)
                let link = try await api.call(
                    .post, "/v1/dealers/\(alfa)/telegram-link", as: nil, json: #"{"email": "BUH@alfa.example"}"#, headers: own)
                #expect(link.status == .created, "\(link.text)")
                #expect(link.json["email"] == .string("buh@alfa.example"))
                let url = try #require(link.json["url"]?.stringValue)
                #expect(url.hasPrefix("https://t.me/dealerd_test_bot?start="))
                let stranger = try await api.call(
                    .post, "/v1/dealers/\(alfa)/telegram-link", as: .manager, json: #"{"email": "someone@else.example"}"#)
                #expect(stranger.status == .unprocessableContent && stranger.json["invalid_params"]?.array.first?["name"] == .string("email"))
                let noEmail = try await api.call(.post, "/v1/dealers/\(alfa)/telegram-link", as: .manager, json: #"{}"#)
                #expect(noEmail.status == .unprocessableContent, "\(noEmail.text)")
                let otherDealer = try await api.call(
                    .post, "/v1/dealers/\(beta)/telegram-link", as: nil, json: #"{"email": "buh@alfa.example"}"#, headers: own)
                #expect(otherDealer.status == .forbidden || otherDealer.status == .notFound, "\(otherDealer.status)")

                // Ольга opens it: the bot greets her by name and the dealer's card lists her chat.
                fake.userWrites("/start \(String(url.dropFirst("https://t.me/dealerd_test_bot?start=".count)))", chat: 7001, username: "olga")
                try await eventually("the bot confirms") {
                    fake.sent.contains { $0.chatID == "7001" && $0.text.hasPrefix("Готово, Ольга Смирнова") && $0.text.contains("«Альфа Моторс»") }
                }
                let chats = try await api.call(.get, "/v1/dealers/\(alfa)/telegram", as: nil, headers: own).json["items"]?.array ?? []
                #expect(chats.count == 1, "\(chats)")
                #expect(chats.first?["email"] == .string("buh@alfa.example") && chats.first?["chat_id"] == .string("7001"))
                #expect(chats.first?["name"] == .string("Ольга Смирнова"))
                let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(alfa)").text
                #expect(audit.contains("telegram.link"), "\(audit)")

                // Monday 2 November: РН-1 is due on Thursday. The reminder goes to her chat, not her mailbox.
                let asOf = "2026-11-02T10:00:00+03:00"
                clock.advance(by: try #require(ISO8601DateFormatter().date(from: asOf)).timeIntervalSince(clock.now()))
                try await DigestAPITests.runJob(api, "dunning", asOf: asOf)
                try await eventually("the reminder reaches her chat") {
                    fake.sent.contains { $0.chatID == "7001" && $0.text.contains("Напоминание о сроке оплаты") }
                }
                let reminder = try #require(fake.sent.first { $0.chatID == "7001" && $0.text.contains("Напоминание о сроке оплаты") })
                #expect(reminder.parseMode == "HTML")
                #expect(reminder.text.contains("• РН-1 от 01.10.2026: к оплате 300\u{A0}000\u{A0}₽"), "\(reminder.text)")
                #expect(reminder.text.contains("Общая задолженность «Альфа Моторс» на 02.11.2026: 300\u{A0}000\u{A0}₽"), "\(reminder.text)")
                #expect(reminder.text.contains("https://dealerd.example.ru/cabinet"), "\(reminder.text)")
                try await eventually("the log shows it sent to her chat") {
                    let log = try await api.call(.get, "/v1/notifications?channel=telegram&dealer_id=\(alfa)").json["items"]?.array ?? []
                    return log.contains { $0["status"] == .string("sent") && $0["recipient"]?["address"] == .string("7001") }
                }
                #expect(!sink.messages().contains { $0.rcptTos == ["buh@alfa.example"] }, "no letter besides the chat message")

                // October's act: the letter with its PDF and XML, and in her chat the message with the
                // PDF after it as a document.
                let made = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
                #expect(made.status == .ok && DunningAPITests.int(made.json["created"]) == 1, "\(made.text)")
                try await eventually("the act's message reaches her chat") {
                    fake.sent.contains { $0.chatID == "7001" && $0.text.contains("Акт сверки") }
                }
                let actMessage = try #require(fake.sent.first { $0.chatID == "7001" && $0.text.contains("Акт сверки") })
                #expect(actMessage.text.contains("https://dealerd.example.ru/act-answer/"), "\(actMessage.text)")
                #expect(actMessage.text.contains("300\u{A0}000\u{A0}₽"), "the closing balance: \(actMessage.text)")
                try await eventually("the act's letter reaches her mailbox too") {
                    sink.messages().contains { $0.rcptTos == ["buh@alfa.example"] && $0.subject.contains("Акт сверки") }
                }
                if ActPDFTests.enabled {
                    try await eventually("the PDF follows as a document") { fake.documents.contains { $0.chatID == "7001" } }
                    let pdf = try #require(fake.documents.first { $0.chatID == "7001" })
                    #expect(pdf.filename.hasPrefix("Акт сверки ") && pdf.filename.hasSuffix(".pdf"), "\(pdf.filename)")
                    #expect(pdf.data.prefix(5) == Data("%PDF-".utf8) && pdf.caption == String(pdf.filename.dropLast(4)))
                }

                // /stop from her chat: the card lists no chat, and a new link works again.
                fake.userWrites("/stop", chat: 7001, username: "olga")
                try await eventually("the chat is unlinked") {
                    try await api.call(.get, "/v1/dealers/\(alfa)/telegram", as: nil, headers: own).json["items"]?.array.isEmpty == true
                }
                #expect(fake.sent.contains { $0.chatID == "7001" && $0.text == "Уведомления в этот чат отключены." })
                let gone = try await api.call(.delete, "/v1/dealers/\(alfa)/telegram?email=buh@alfa.example", as: .manager)
                #expect(gone.status == .notFound)
            }
        }
    }
}
