import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// Payment reminders through a real dealerd and a real SMTP server, as the dealer's accountant and
/// its manager live them over three weeks: a reminder before the due date, one when overdue (the
/// level in between settled, not sent late), each level once; a promise to pay pauses them, its
/// breach reaches the manager and the reminders resume; and once the debt is paid they stop.
@Suite("Payment reminders and promises to pay")
struct DunningAPITests {
    /// Monday 2 November 2026, 07:00 in Moscow.
    static let start = Date(timeIntervalSince1970: 1_793_592_000)

    static func int(_ value: JSONValue?) -> Int? {
        guard case .number(let number)? = value else { return nil }
        return NSDecimalNumber(decimal: number).intValue
    }

    @Test(arguments: Backend.available)
    func eachLevelGoesOnceAPromisePausesThemItsBreachReachesTheManagerAndPaymentStopsThem(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        let clock = TestClock(Self.start)
        try await APIHarness.run(
            backend,
            configure: { config in
                NotificationEmailAPITests.configure(sink)(&config)
                config.scheduler.pollInterval = 0.05
                // The clock jumps weeks ahead: the jobs run when the test asks.
                DigestAPITests.skipCatchUp(of: { _ in true }, in: &config)
            }, clock: clock
        ) { api in
            let anna = try await AccreditationDecisionAPITests.manager(api, name: "Анна Иванова", email: "anna@example.ru", role: "existing_clients")
            let created = try await api.call(
                .post, "/v1/dealers",
                json: dealerJSON(
                    code: "D-001", name: "Альфа Моторс", taxID: KnownINN.organisations[0],
                    extra:
                        #""manager_id": "\#(anna)", "contacts": [{"name": "Ольга Смирнова", "email": "buh@alfa.example", "purpose": "accounting"}, {"name": "Директор", "email": "boss@alfa.example", "purpose": "director"}]"#
                ))
            let alfa = try #require(created.json["id"]?.stringValue, "\(created.text)")
            let policy = try await api.call(
                .put, "/v1/dealers/\(alfa)/credit-policy", as: .accountant, json: #"{"limit": "1000000.00", "reason": "договор"}"#)
            #expect(policy.status == .ok, "\(policy.text)")
            func post(_ kind: String, _ number: String, date: String, amount: String, due: String? = nil) async throws {
                let dueField = due.map { #", "due_date": "\#($0)""# } ?? ""
                let posted = try await api.call(
                    .post, "/v1/dealers/\(alfa)/ledger", as: .integration,
                    json:
                        #"{"external_id": "\#(number)", "kind": "\#(kind)", "document_number": "\#(number)", "document_date": "\#(date)", "amount": "\#(amount)"\#(dueField)}"#
                )
                #expect(posted.status == .created, "\(posted.text)")
            }
            try await post("shipment", "РН-1", date: "2026-10-01", amount: "300000.00", due: "2026-11-05")
            try await post("shipment", "РН-2", date: "2026-10-20", amount: "200000.00", due: "2026-11-20")

            var letters = 0
            /// Moves the clock to 10:00 of `day` and runs the dunning job as of then.
            func run(on day: String) async throws {
                let asOf = try #require(ISO8601DateFormatter().date(from: "\(day)T10:00:00+03:00"))
                clock.advance(by: asOf.timeIntervalSince(clock.now()))
                try await DigestAPITests.runJob(api, "dunning", asOf: "\(day)T10:00:00+03:00")
            }
            func reminders() async throws -> [SMTPSink.Message] {
                // The fan-out sends soon after the commit; give it a moment before counting.
                try await Task.sleep(for: .milliseconds(600))
                return sink.messages().filter { $0.rcptTos == ["buh@alfa.example"] }
            }

            // Monday 2 November: РН-1 is due on Thursday, three days ahead.
            try await run(on: "2026-11-02")
            var mail = try await sink.waitFor(1)
            let first = try #require(mail.first { $0.rcptTos == ["buh@alfa.example"] }, "\(mail.map(\.rcptTos))")
            letters += 1
            #expect(first.subject == "Напоминание о сроке оплаты: 300\u{A0}000\u{A0}₽ — ООО «Производитель»", "\(first.subject)")
            let early = try #require(first.text).replacingOccurrences(of: "\r\n", with: "\n")
            try Data(early.utf8).write(to: TestArtifacts.directory().appendingPathComponent("dunning-before-due-\(backend).txt"))
            #expect(early.contains("Здравствуйте, Ольга Смирнова!"), "\(early)")
            #expect(early.contains("Напоминаем, что 05.11.2026 наступает срок оплаты на сумму 300\u{A0}000\u{A0}₽:"), "\(early)")
            #expect(
                early.contains("• РН-1 от 01.10.2026: к оплате 300\u{A0}000\u{A0}₽ из 300\u{A0}000\u{A0}₽, срок 05.11.2026 (срок через 3 дня)"),
                "\(early)")
            #expect(!early.contains("РН-2"), "РН-2 is not near its due date yet: \(early)")
            #expect(
                early.contains(
                    "Общая задолженность «Альфа Моторс» на 02.11.2026: 500\u{A0}000\u{A0}₽. Кредитный лимит 1\u{A0}000\u{A0}000\u{A0}₽, доступно для отгрузок 500\u{A0}000\u{A0}₽."
                ),
                "\(early)")
            #expect(first.listUnsubscribe != nil, "a letter to a dealer can be unsubscribed from")
            #expect(first.html?.contains("Открыть в личном кабинете") == true)

            // The same day again: the level is sent already.
            try await run(on: "2026-11-02")
            #expect(try await reminders().count == letters, "each level once")
            var dunning = try await api.call(.get, "/v1/dealers/\(alfa)/dunning", as: .viewer).json
            #expect(dunning["notices"]?.array.map { "\($0["document_number"]?.stringValue ?? "")/\(Self.int($0["level"]) ?? 99)" } == ["РН-1/-3"])
            #expect((dunning["levels"]?.array ?? []).compactMap(Self.int) == [-3, 0, 3, 10, 30], "\(dunning)")

            // Monday 9 November: РН-1 is four days overdue. One letter at level 3; the day-of-due level,
            // missed over the weekend, is settled rather than sent late.
            try await run(on: "2026-11-09")
            mail = try await sink.waitFor(mail.count + 1)
            letters += 1
            let overdue = try #require(try await reminders().last)
            #expect(overdue.subject == "Просроченная задолженность: 300\u{A0}000\u{A0}₽ — ООО «Производитель»", "\(overdue.subject)")
            let late = try #require(overdue.text).replacingOccurrences(of: "\r\n", with: "\n")
            #expect(late.contains("(просрочен на 4 дня)") && late.contains("из неё просрочено 300\u{A0}000\u{A0}₽"), "\(late)")
            dunning = try await api.call(.get, "/v1/dealers/\(alfa)/dunning", as: .viewer).json
            let levels = (dunning["notices"]?.array ?? []).compactMap { Self.int($0["level"]) }.sorted()
            #expect(levels == [-3, 0, 3], "\(dunning)")

            // Anna records the dealer's promise; nonsense and a second promise are refused by field.
            let wrong = try await api.call(
                .post, "/v1/dealers/\(alfa)/promises", as: .manager, json: #"{"amount": "-5", "date": "2026-11-01"}"#)
            #expect(wrong.status == .unprocessableContent, "\(wrong.text)")
            let fields = (wrong.json["invalid_params"]?.array ?? []).compactMap { $0["name"]?.stringValue }.sorted()
            #expect(fields == ["amount", "date"], "\(wrong.text)")
            let viewer = try await api.call(
                .post, "/v1/dealers/\(alfa)/promises", as: .viewer, json: #"{"amount": "300000.00", "date": "2026-11-18"}"#)
            #expect(viewer.status == .forbidden)
            let promised = try await api.call(
                .post, "/v1/dealers/\(alfa)/promises", as: .manager,
                json: #"{"amount": "300000.00", "date": "18.11.2026", "note": "оплатят после поступления от заказчика"}"#)
            #expect(promised.status == .created, "\(promised.text)")
            #expect(promised.json["status"] == .string("open") && promised.json["date"] == .string("2026-11-18"), "\(promised.text)")
            #expect(promised.json["made_on"] == .string("2026-11-09") && promised.json["amount"] == .string("300000.00"))
            let twice = try await api.call(
                .post, "/v1/dealers/\(alfa)/promises", as: .manager, json: #"{"amount": "1000.00", "date": "2026-11-20"}"#)
            #expect(twice.status == .conflict, "\(twice.text)")

            // Tuesday 17 November: РН-1 is twelve days late and РН-2 three days from due, but the
            // promise runs until Wednesday: nothing goes out.
            try await post("payment", "ПП-1", date: "2026-11-16", amount: "100000.00")
            try await run(on: "2026-11-17")
            #expect(try await reminders().count == letters, "a running promise pauses the reminders")
            dunning = try await api.call(.get, "/v1/dealers/\(alfa)/dunning", as: .viewer).json
            #expect(dunning["paused_until"] == .string("2026-11-18"), "\(dunning)")

            // Thursday 19 November: the promise passed with 100 000 of 300 000 paid. Anna hears of it,
            // and the reminders resume with what is still open of both documents.
            let beforeBreach = sink.messages().count
            try await run(on: "2026-11-19")
            mail = try await sink.waitFor(beforeBreach + 2)
            letters += 1
            let breach = try #require(
                mail.first { $0.rcptTos == ["anna@example.ru"] && $0.subject.contains("обещание") }, "\(mail.map(\.subject))")
            #expect(breach.subject == "«Альфа Моторс» не выполнил обещание оплаты до 18.11.2026", "\(breach.subject)")
            let breachText = try #require(breach.text)
            #expect(breachText.contains("обещал оплатить 300\u{A0}000\u{A0}₽ до 18.11.2026"), "\(breachText)")
            #expect(breachText.contains("С тех пор поступило 100\u{A0}000\u{A0}₽"), "\(breachText)")
            #expect(!mail.contains { $0.rcptTos == ["boss@alfa.example"] }, "the director is not the dunning audience")
            let resumed = try #require(try await reminders().last)
            let resumedText = try #require(resumed.text).replacingOccurrences(of: "\r\n", with: "\n")
            try Data(resumedText.utf8).write(to: TestArtifacts.directory().appendingPathComponent("dunning-overdue-\(backend).txt"))
            #expect(resumedText.contains("• РН-1 от 01.10.2026: к оплате 200\u{A0}000\u{A0}₽ из 300\u{A0}000\u{A0}₽"), "FIFO: \(resumedText)")
            #expect(
                resumedText.contains("• РН-2 от 20.10.2026: к оплате 200\u{A0}000\u{A0}₽ из 200\u{A0}000\u{A0}₽, срок 20.11.2026 (срок через 1 день)")
            )
            let promises = try await api.call(.get, "/v1/dealers/\(alfa)/promises", as: .viewer).json["items"]?.array ?? []
            #expect(promises.first?["status"] == .string("broken") && promises.first?["paid"] == .string("100000.00"), "\(promises)")
            let feed = try await api.call(.get, "/v1/events?limit=200", as: .viewer).json["items"]?.array ?? []
            #expect(feed.filter { $0["type"] == .string("credit.promise_broken") }.count == 1)
            #expect(feed.filter { $0["type"] == .string("credit.payment_reminder") }.count == letters)

            // Friday 20 November the dealer pays everything; the next Monday РН-2 would be three
            // days overdue, but nothing is open and nothing goes out.
            try await post("payment", "ПП-2", date: "2026-11-20", amount: "400000.00")
            try await run(on: "2026-11-23")
            #expect(try await reminders().count == letters, "reminders stop when the debt is paid")
            let log = try await api.call(.get, "/v1/notifications?limit=100").json["items"]?.array ?? []
            #expect(log.filter { $0["rule"] == .string("payment-reminder") }.count == letters, "\(log.map { $0["rule"] ?? .null })")
        }
    }
}
