import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The morning and weekly digests through a real dealerd and a real SMTP server: each list in a
/// manager's letter is what the API's own lists say about his dealers, another manager's dealers
/// stay out of it, a second run on the same day sends nothing, and the head's week names them all.
@Suite("Morning and weekly digests by e-mail")
struct DigestAPITests {
    /// Monday 2 November 2026, 07:00 in Moscow.
    static let start = Date(timeIntervalSince1970: 1_793_592_000)

    static func runJob(_ api: APIHarness, _ name: String, asOf: String) async throws {
        let requested = try await api.call(.post, "/v1/jobs/\(name)/run", as: .manager, json: #"{"as_of": "\#(asOf)"}"#)
        let location = try #require(requested.headers[.location], "\(requested.text)")
        var run = requested.json
        for _ in 0..<400 where run["status"] != .string("succeeded") && run["status"] != .string("failed") {
            try await Task.sleep(for: .milliseconds(50))
            run = try await api.call(.get, location, as: .viewer).json
        }
        #expect(run["status"] == .string("succeeded"), "\(run)")
    }

    /// Jobs whose ticks a clock jump passes over are not caught up: they run when the test asks.
    static func skipCatchUp(of jobs: (String) -> Bool, in config: inout DealerdConfig) {
        config.jobs = config.jobs.map { scheduled in
            var settings = scheduled.settings
            if jobs(scheduled.job.name) { settings.catchUp = .skip }
            return ScheduledJob(job: scheduled.job, settings: settings)
        }
    }

    /// The lines of one section of a letter: from its heading to the next blank line.
    static func section(_ heading: String, in text: String) -> [String] {
        // Mail travels with CRLF line ends.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty && $0.hasPrefix("•") })
    }

    @Test(arguments: Backend.available)
    func eachManagerHearsOfHisOwnDealersAndTheHeadOfTheWholeDepartment(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        let clock = TestClock(Self.start)
        try await APIHarness.run(
            backend,
            configure: { config in
                NotificationEmailAPITests.configure(sink)(&config)
                config.scheduler.pollInterval = 0.05
                // The clock jumps two weeks ahead: the digests run when the test asks, not as a
                // catch-up of the ticks the jump passed over.
                Self.skipCatchUp(of: { $0.hasSuffix("-digest") }, in: &config)
            }, clock: clock
        ) { api in
            let anna = try await AccreditationDecisionAPITests.manager(api, name: "Анна Иванова", email: "anna@example.ru", role: "existing_clients")
            let boris = try await AccreditationDecisionAPITests.manager(api, name: "Борис Орлов", email: "boris@example.ru", role: "existing_clients")
            _ = try await AccreditationDecisionAPITests.manager(api, name: "Олег Петров", email: "head@example.ru", role: "head")

            var ids: [String: String] = [:]
            for (index, (code, name, manager)) in [
                ("D-001", "Альфа Моторс", anna), ("D-002", "Гамма Авто", anna), ("D-003", "Дельта Трейд", anna), ("D-004", "Эпсилон", anna),
                ("D-010", "Бета Трак", boris),
            ].enumerated() {
                let created = try await api.call(
                    .post, "/v1/dealers",
                    json: dealerJSON(code: code, name: name, taxID: KnownINN.organisations[index], extra: #""manager_id": "\#(manager)""#))
                ids[code] = try #require(created.json["id"]?.stringValue, "\(created.text)")
            }
            // D-005 is accredited on the standard profile; its bank reference runs out on 27 November.
            ids["D-005"] = try await AccreditationDecisionAPITests.applicant(
                api, code: "D-005", index: 5, manager: anna, bankReferenceUntil: "2026-11-27")
            let accredited = try await api.call(.post, "/v1/dealers/\(ids["D-005"]!)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(accredited.json["status_after"] == .string("accredited"), "\(accredited.text)")
            let interval = try await api.call(.put, "/v1/dealers/\(ids["D-005"]!)/rhythm", as: .manager, json: #"{"interval_days": 14}"#)
            #expect(interval.status == .ok, "\(interval.text)")

            func ship(_ code: String, _ number: String, date: String, amount: String) async throws {
                let shipped = try await api.call(
                    .post, "/v1/dealers/\(ids[code]!)/ledger", as: .integration,
                    json:
                        #"{"external_id": "\#(number)", "kind": "shipment", "document_number": "\#(number)", "document_date": "\#(date)", "amount": "\#(amount)"}"#
                )
                #expect(shipped.status == .created, "\(shipped.text)")
            }
            for code in ["D-001", "D-002", "D-003", "D-004", "D-005", "D-010"] {
                let limit = ["D-001": "1000000.00", "D-002": "1000000.00", "D-010": "1000000.00"][code] ?? "5000000.00"
                let policy = try await api.call(
                    .put, "/v1/dealers/\(ids[code]!)/credit-policy", as: .accountant, json: #"{"limit": "\#(limit)", "reason": "договор"}"#)
                #expect(policy.status == .ok, "\(policy.text)")
            }
            try await ship("D-001", "РН-1", date: "02.11.2026", amount: "1050000.00")
            try await ship("D-002", "РН-2", date: "02.11.2026", amount: "950000.00")
            // Overdue since August, so already old news by the digest's morning.
            try await ship("D-004", "РН-4", date: "01.08.2026", amount: "300000.00")
            try await ship("D-005", "РН-5", date: "01.10.2026", amount: "100000.00")
            try await ship("D-010", "РН-10", date: "02.11.2026", amount: "1200000.00")
            let plan = try await api.call(.put, "/v1/dealers/\(ids["D-001"]!)/plans/2026-11", as: .manager, json: #"{"amount": "3000000.00"}"#)
            #expect(plan.status == .ok || plan.status == .created, "\(plan.text)")
            let generated = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            #expect(generated.status == .ok, "\(generated.text)")

            // Tuesday 17 November, 08:10: the October acts wait past their 14 days; «Дельта»'s
            // September shipment arrives overnight and is overdue at once.
            clock.advance(by: 15 * 86400 + 70 * 60)
            try await ship("D-003", "РН-3", date: "01.09.2026", amount: "200000.00")
            let before = sink.messages().count
            try await Self.runJob(api, "morning-digest", asOf: "2026-11-17T08:05:00+03:00")
            let mail = try await sink.waitFor(before + 2)
            let digests = mail.filter { $0.subject.hasPrefix("Утренняя сводка") }
            #expect(digests.map(\.rcptTos).sorted { $0[0] < $1[0] } == [["anna@example.ru"], ["boris@example.ru"]], "the head has the weekly one")
            let letter = try #require(digests.first { $0.rcptTos == ["anna@example.ru"] })
            #expect(letter.subject == "Утренняя сводка на 17.11.2026")
            let text = try #require(letter.text)
            try Data(text.utf8).write(to: TestArtifacts.directory().appendingPathComponent("digest-morning-\(backend).txt"))
            #expect(!text.contains("Бета Трак"), "Boris's dealer is not in Anna's digest: \(text)")

            // Each list is what the API's own list says about Anna's dealers.
            let receivables = try await api.call(.get, "/v1/receivables?manager_id=\(anna)&limit=100", as: .viewer).json["items"]?.array ?? []
            let nearOrOver = receivables.filter { ["warning", "breached"].contains($0["credit_state"]?.stringValue ?? "") }
            let limits = Self.section("Кредитный лимит", in: text)
            #expect(limits.count == nearOrOver.count && nearOrOver.count == 2, "\(limits)")
            #expect(
                limits.first
                    == "• «Альфа Моторс» (D-001): лимит превышен, долг 1\u{A0}050\u{A0}000\u{A0}₽ при лимите 1\u{A0}000\u{A0}000\u{A0}₽ (105\u{A0}%)")
            #expect(
                limits.last == "• «Гамма Авто» (D-002): близко к лимиту, долг 950\u{A0}000\u{A0}₽ при лимите 1\u{A0}000\u{A0}000\u{A0}₽ (95\u{A0}%)")
            let overdueNow = receivables.filter { $0["overdue_state"] == .string("overdue") }.compactMap { $0["code"]?.stringValue }.sorted()
            #expect(overdueNow == ["D-003", "D-004", "D-005"] || overdueNow == ["D-003", "D-004"], "\(receivables)")
            let overdue = Self.section("Новая просрочка", in: text)
            #expect(overdue.count == 1 && overdue.first?.hasPrefix("• «Дельта Трейд» (D-003): просрочено 200\u{A0}000\u{A0}₽") == true, "\(text)")
            let rhythm = try await api.call(.get, "/v1/rhythm?manager=\(anna)", as: .viewer).json["items"]?.array ?? []
            let late = rhythm.filter { ["late", "broken"].contains($0["status"]?.stringValue ?? "") }.compactMap { $0["code"]?.stringValue }
            let rhythmLines = Self.section("Ритм отгрузок", in: text)
            #expect(late == ["D-005"] && rhythmLines.count == 1, "\(rhythmLines)")
            #expect(rhythmLines.first?.hasPrefix("• «Дилер D-005» (D-005): ") == true, "\(rhythmLines)")
            #expect(rhythmLines.first?.contains("последняя отгрузка 01.10.2026") == true, "\(rhythmLines)")
            let acts = try await api.call(.get, "/v1/reconciliation-acts?period=2026-10", as: .viewer).json["items"]?.array ?? []
            let actLines = Self.section("Акты сверки без ответа", in: text)
            #expect(!acts.isEmpty && actLines.count == acts.count, "\(actLines) \(acts.count)")
            for act in acts {
                let number = try #require(act["number"]?.stringValue)
                #expect(actLines.contains { $0.contains("акт \(number) по 31.10.2026, ждём 15 дней") }, "\(actLines)")
            }
            #expect(Self.section("Истекает", in: text) == ["• «Дилер D-005» (D-005): документ «bank_reference» до 27.11.2026, через 10 дней"])
            let fulfilment = try await api.call(.get, "/v1/plans/fulfillment?period=2026-11&group_by=manager", as: .viewer)
            let mine = try #require(fulfilment.json["lines"]?.array.first { $0["key"] == .string(anna) }, "\(fulfilment.text)")
            #expect(mine["plan"] == .string("3000000.00") && mine["fact"] == .string("2000000.00"), "\(mine)")
            #expect(text.contains("План месяца: 3\u{A0}000\u{A0}000\u{A0}₽, факт 2\u{A0}000\u{A0}000\u{A0}₽ (67\u{A0}%)."), "\(text)")
            #expect(text.contains("Мой стол: https://dealerd.example.ru/desk"))
            #expect(letter.html?.contains("Открыть мой стол") == true)

            // The same morning again: nothing new goes out.
            try await Self.runJob(api, "morning-digest", asOf: "2026-11-17T08:08:00+03:00")
            let log = try await api.call(.get, "/v1/notifications?limit=100").json["items"]?.array ?? []
            #expect(log.filter { $0["rule"] == .string("digest.morning") }.count == 2, "one digest a day each")

            // The head's week: the department's receivables and every list, with Boris's dealer too.
            try await Self.runJob(api, "weekly-digest", asOf: "2026-11-17T08:09:00+03:00")
            let all = try await sink.waitFor(mail.count + 1)
            let weekly = try #require(all.first { $0.subject.hasPrefix("Сводка отдела") })
            #expect(weekly.rcptTos == ["head@example.ru"] && weekly.subject == "Сводка отдела за неделю на 17.11.2026")
            let week = try #require(weekly.text)
            try Data(week.utf8).write(to: TestArtifacts.directory().appendingPathComponent("digest-weekly-\(backend).txt"))
            let totals = try await api.call(.get, "/v1/receivables?limit=1", as: .viewer).json["totals"]?.array.first
            let balance = RussianText.money(totals?["balance"]?.stringValue ?? "", currency: "RUB")
            #expect(week.contains("Дебиторская задолженность: \(balance)"), "\(week)")
            let weekLimits = Self.section("Кредитный лимит", in: week)
            #expect(weekLimits.count == 3 && weekLimits.first?.contains("«Бета Трак» (D-010): лимит превышен") == true, "\(weekLimits)")
            #expect(Self.section("Просрочка", in: week).count == overdueNow.count, "every overdue dealer, new or old")
            #expect(week.contains("Анна Иванова: факт 2\u{A0}000\u{A0}000\u{A0}₽ при плане 3\u{A0}000\u{A0}000\u{A0}₽ (67\u{A0}%)"), "\(week)")
        }
    }
}
