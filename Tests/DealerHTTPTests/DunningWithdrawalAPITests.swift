import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// A reminder made in the evening waits for the morning (quiet hours). What happens overnight
/// decides whether it still goes: a dealer that paid the documents it lists is not chased, one
/// whose manager took a promise to pay is not either, and one that paid only part still hears.
@Suite("Payment reminders held back once paid")
struct DunningWithdrawalAPITests {
    /// Monday 2 November 2026, 22:00 in Moscow: inside the quiet hours.
    static let evening = Date(timeIntervalSince1970: 1_793_646_000)

    @Test(arguments: Backend.available)
    func aReminderWaitingForTheMorningIsWithdrawnWhenPaidOrPromisedAndSentWhenPartlyPaid(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        let clock = TestClock(Self.evening)
        try await APIHarness.run(
            backend,
            configure: { config in
                NotificationEmailAPITests.configure(sink)(&config)
                config.quietHours = QuietHours(parsing: "21:00-08:00")
                config.scheduler.pollInterval = 0.05
                DigestAPITests.skipCatchUp(of: { _ in true }, in: &config)
            }, clock: clock
        ) { api in
            let anna = try await AccreditationDecisionAPITests.manager(api, name: "Анна Иванова", email: "anna@example.ru", role: "existing_clients")
            func dealer(_ code: String, _ name: String, inn: Int, accounting: String) async throws -> String {
                let created = try await api.call(
                    .post, "/v1/dealers",
                    json: dealerJSON(
                        code: code, name: name, taxID: KnownINN.organisations[inn],
                        extra: #""manager_id": "\#(anna)", "contacts": [{"name": "Бухгалтерия", "email": "\#(accounting)", "purpose": "accounting"}]"#
                    ))
                #expect(created.status == .created, "\(created.text)")
                let id = created.json["id"]?.stringValue ?? ""
                let policy = try await api.call(
                    .put, "/v1/dealers/\(id)/credit-policy", as: .accountant, json: #"{"limit": "1000000.00", "reason": "договор"}"#)
                #expect(policy.status == .ok, "\(policy.text)")
                return id
            }
            func post(_ dealer: String, _ kind: String, _ number: String, amount: String, due: String? = nil) async throws {
                let dueField = due.map { #", "due_date": "\#($0)""# } ?? ""
                let posted = try await api.call(
                    .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                    json:
                        #"{"external_id": "\#(dealer.prefix(8))-\#(number)", "kind": "\#(kind)", "document_number": "\#(number)", "document_date": "2026-10-01", "amount": "\#(amount)"\#(dueField)}"#
                )
                #expect(posted.status == .created, "\(posted.text)")
            }
            // Each owes 300 000 due on Thursday (a reminder three days ahead tonight) and 200 000 due
            // later in the month (no reminder yet).
            let alfa = try await dealer("D-001", "Альфа Моторс", inn: 0, accounting: "buh@alfa.example")
            let beta = try await dealer("D-002", "Бета Авто", inn: 1, accounting: "buh@beta.example")
            let gamma = try await dealer("D-003", "Гамма Трак", inn: 2, accounting: "buh@gamma.example")
            for id in [alfa, beta, gamma] {
                try await post(id, "shipment", "РН-1", amount: "300000.00", due: "2026-11-05")
                try await post(id, "shipment", "РН-2", amount: "200000.00", due: "2026-11-25")
            }

            try await DigestAPITests.runJob(api, "dunning", asOf: "2026-11-02T22:00:00+03:00")
            @Sendable func reminders() async throws -> [JSONValue] {
                let log = try await api.call(.get, "/v1/notifications?limit=100").json["items"]?.array ?? []
                return log.filter { $0["rule"] == .string("payment-reminder") }
            }
            try await eventually("three reminders wait for the morning") {
                try await reminders().filter { $0["status"] == .string("pending") }.count == 3
            }
            #expect(sink.messages().isEmpty, "nothing is sent in the quiet hours")

            // Overnight: Альфа pays РН-1 in full (РН-2, not in the letter, stays owed), Бета pays a
            // third of it, and Гамма's manager takes a promise to pay by the 10th.
            try await post(alfa, "payment", "ПП-1", amount: "300000.00")
            try await post(beta, "payment", "ПП-2", amount: "100000.00")
            let promised = try await api.call(
                .post, "/v1/dealers/\(gamma)/promises", as: .manager, json: #"{"amount": "300000.00", "date": "2026-11-10"}"#)
            #expect(promised.status == .created, "\(promised.text)")

            // Tuesday 08:05: the morning's letters go.
            clock.advance(by: 10 * 3600 + 5 * 60)
            let mail = try await sink.waitFor(1)
            try await eventually("no reminder is pending any more") {
                try await reminders().allSatisfy { $0["status"] != .string("pending") }
            }
            try await Task.sleep(for: .milliseconds(500))
            #expect(sink.messages().map(\.rcptTos) == [["buh@beta.example"]], "only Бета hears: \(mail.map(\.rcptTos))")
            let text = try #require(mail.first?.text).replacingOccurrences(of: "\r\n", with: "\n")
            #expect(text.contains("• РН-1 от 01.10.2026"), "the part still owed is reminded of: \(text)")

            let byDealer = Dictionary(
                try await reminders().compactMap { message in message["dealer_id"]?.stringValue.map { ($0, message) } },
                uniquingKeysWith: { first, _ in first })
            #expect(byDealer[beta]?["status"] == .string("sent"))
            #expect(byDealer[alfa]?["status"] == .string("withdrawn"), "\(byDealer[alfa] ?? .null)")
            #expect(byDealer[alfa]?["last_error"] == .string("отозвано: документы из напоминания оплачены до его отправки"))
            #expect(byDealer[gamma]?["status"] == .string("withdrawn"), "\(byDealer[gamma] ?? .null)")
            #expect(
                byDealer[gamma]?["last_error"] == .string("отозвано: дилер обещал оплатить до 10.11.2026, напоминания ждут этой даты"))
            let alfaMessage = try #require(byDealer[alfa]?["id"]?.stringValue)
            let detail = try await api.call(.get, "/v1/notifications/\(alfaMessage)").json
            #expect(detail["status"] == .string("withdrawn") && detail["attempts"] == .array([]), "never tried: \(detail)")

            // The operators' filter finds them.
            let withdrawn = try await api.call(.get, "/v1/notifications?status=withdrawn").json["items"]?.array ?? []
            #expect(Set(withdrawn.compactMap { $0["dealer_id"]?.stringValue }) == [alfa, gamma])
        }
    }
}
