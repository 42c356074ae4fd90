import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import dealerd

@Suite("Reconciliation acts through the API")
struct ReconciliationActsAPITests {
    @Test(arguments: Backend.available)
    func actsAreMadeOncePerDealerAndPeriodVersionedOnLateEntriesAndAnswered(_ backend: Backend) async throws {
        let clock = TestClock(RhythmAndPlansAPITests.start)
        try await APIHarness.run(backend, configure: { $0.scheduler.pollInterval = 0.05 }, clock: clock) { api in
            let entries: [RhythmAndPlansAPITests.Entry] = [
                .init(code: "A-1", kind: "shipment", date: "2026-09-10", amount: "100000.00"),
                .init(code: "A-1", kind: "shipment", date: "2026-10-03", amount: "250000.50"),
                .init(code: "A-1", kind: "payment", date: "2026-10-20", amount: "300000.00"),
                .init(code: "A-1", kind: "shipment", date: "2026-11-02", amount: "1000.00"),
                .init(code: "C-3", kind: "shipment", date: "2026-09-01", amount: "5000.00"),
                .init(code: "D-4", kind: "shipment", date: "2026-10-05", amount: "7000.00"),
            ]
            let ids = try await RhythmAndPlansAPITests.seed(
                api, dealers: [("A-1", "accredited"), ("B-2", "accredited"), ("C-3", "suspended"), ("D-4", "prospect")], entries: entries)

            let generated = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            #expect(generated.status == .ok, "\(generated.text)")
            #expect(generated.json["created"] == .number(2) && generated.json["skipped"] == .number(1) && generated.json["dealers"] == .number(3))
            let again = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            #expect(again.json["created"] == .number(0) && again.json["unchanged"] == .number(2), "a re-run makes nothing new")

            let list = try await api.call(.get, "/v1/reconciliation-acts?period=2026-10", as: .viewer)
            let acts = list.json["items"]?.array ?? []
            #expect(acts.compactMap { $0["number"]?.stringValue }.sorted() == ["АС-2026-10-000001", "АС-2026-10-000002"])
            let actA = try #require(acts.first { $0["dealer_id"] == .string(ids["A-1"]!) })
            let idA = try #require(actA["id"]?.stringValue)
            #expect(actA["ours"]?["opening"] == .string("100000.00") && actA["ours"]?["debit_turnover"] == .string("250000.50"))
            #expect(actA["ours"]?["credit_turnover"] == .string("300000.00") && actA["ours"]?["closing"] == .string("50000.50"))
            #expect(actA["ours"]?["lines"]?.array.count == 2 && actA["status"] == .string("generated") && actA["reason"] == .string("manual"))
            #expect(actA["conclusion"] == .string("на 31.10.2026 задолженность в пользу ООО «Производитель» составляет 50\u{A0}000,50 руб."))
            let actC = try #require(acts.first { $0["dealer_id"] == .string(ids["C-3"]!) })
            let idC = try #require(actC["id"]?.stringValue)
            #expect(actC["ours"]?["lines"]?.array.isEmpty == true && actC["ours"]?["closing"] == .string("5000.00"), "a balance and no movement")

            // The turnovers equal an independent SQL sum of the period's entries.
            let sums = try await api.database.withStore { store in
                try await store.database.read { sql in
                    let row = try await sql.raw(
                        """
                        SELECT CAST(SUM(CASE WHEN effect_minor > 0 THEN effect_minor ELSE 0 END) AS BIGINT) AS debit,
                               CAST(SUM(CASE WHEN effect_minor < 0 THEN -effect_minor ELSE 0 END) AS BIGINT) AS credit
                        FROM ledger_entries WHERE dealer_id = \(bind: UUID(uuidString: ids["A-1"]!)!)
                          AND document_date BETWEEN '2026-10-01' AND '2026-10-31'
                        """
                    ).first()
                    return (try row!.decode(column: "debit", as: Int64.self), try row!.decode(column: "credit", as: Int64.self))
                }
            }
            #expect(sums.0 == 25_000_050 && sums.1 == 30_000_000)

            let csv = try await api.call(.get, "/v1/reconciliation-acts/\(idA)/act.csv", as: .accountant)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.hasPrefix("\u{FEFF}Акт сверки № АС-2026-10-"))
            #expect(csv.text.contains("\r\nДата;Документ;Дебет;Кредит\r\n;Сальдо начальное;100\u{A0}000,00;0,00\r\n"))
            let html = try await api.call(.get, "/v1/reconciliation-acts/\(idA)/act.html", as: .accountant)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.text.contains("<h1>Акт сверки взаимных расчётов № АС-2026-10-") && html.text.contains("@page { size: A4"))
            #expect(html.text.components(separatedBy: "М.П.").count == 3 && html.text.contains("По данным ООО «Производитель»"))

            // A late entry in October outdates the act at once; the next run makes exactly one new version.
            _ = try await api.call(
                .post, "/v1/dealers/\(ids["A-1"]!)/ledger", as: .integration,
                json: #"{"external_id": "LATE", "kind": "shipment", "document_number": "РН-99", "document_date": "2026-10-15", "amount": "100.00"}"#)
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(idA)").json["status"] == .string("outdated"))
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(idC)").json["status"] == .string("generated"), "another dealer's act stays")
            let rerun = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            #expect(rerun.json["created"] == .number(1) && rerun.json["superseded"] == .number(1) && rerun.json["unchanged"] == .number(1))
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(idA)").json["status"] == .string("outdated"))
            let versions =
                try await api.call(.get, "/v1/reconciliation-acts?period=2026-10&dealer=\(ids["A-1"]!)", as: .viewer).json["items"]?.array ?? []
            #expect(versions.compactMap { $0["version"] } == [.number(2), .number(1)])
            let newA = try #require(versions.first?["id"]?.stringValue)
            #expect(versions.first?["previous_id"] == .string(idA) && versions.first?["ours"]?["closing"] == .string("50100.50"))

            // Answers: confirmed, then disputed with the line that differs; an outdated act cannot be answered.
            let outdated = try await api.call(.post, "/v1/reconciliation-acts/\(idA)/confirm", as: .accountant)
            #expect(outdated.status == .conflict)
            let confirmed = try await api.call(.post, "/v1/reconciliation-acts/\(newA)/confirm", as: .manager)
            #expect(confirmed.json["status"] == .string("confirmed") && confirmed.json["dealer_side"]?["closing"] == .string("50100.50"))
            #expect(try await api.call(.post, "/v1/reconciliation-acts/\(newA)/confirm", as: .manager).status == .conflict)
            let empty = try await api.call(.post, "/v1/reconciliation-acts/\(idC)/dispute", as: .accountant, json: #"{"discrepancies": []}"#)
            #expect(empty.status == .unprocessableContent && empty.json["invalid_params"]?.array.first?["name"] == .string("discrepancies"))
            let disputed = try await api.call(
                .post, "/v1/reconciliation-acts/\(idC)/dispute", as: .accountant,
                json: #"{"closing": "0", "discrepancies": [{"document": "E-4", "ours": "5000.00", "theirs": "0", "comment": "оплачено наличными"}]}"#)
            #expect(disputed.json["status"] == .string("disputed") && disputed.json["dealer_side"]?["closing"] == .string("0.00"))
            #expect(disputed.json["dealer_side"]?["discrepancies"]?.array.first?["theirs"] == .string("0.00"))
            // The dealer's own key reads its act and answers it; another dealer's act is not there for it.
            let keyA = try await api.dealerKey(for: ids["A-1"]!)
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(newA)", as: nil, headers: keyA).json["number"] == versions.first?["number"])
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(idC)", as: nil, headers: keyA).status == .notFound)
            #expect(try await api.call(.post, "/v1/reconciliation-acts/\(idC)/confirm", as: nil, headers: keyA).status == .notFound)
            #expect(try await api.call(.get, "/v1/reconciliation-acts", as: nil, headers: keyA).status == .forbidden)
            // …and lists its own acts (both versions), not another dealer's.
            let own = try await api.call(.get, "/v1/dealers/\(ids["A-1"]!)/reconciliation-acts", as: nil, headers: keyA).json["items"]?.array ?? []
            #expect(own.count == 2 && own.allSatisfy { $0["dealer_id"] == .string(ids["A-1"]!) })
            #expect(try await api.call(.get, "/v1/dealers/\(ids["C-3"]!)/reconciliation-acts", as: nil, headers: keyA).status == .forbidden)
            // The accountant's list pages with a cursor: one act a page, every act once, in the list's order.
            let whole = try await api.call(.get, "/v1/reconciliation-acts?limit=500", as: .accountant).json["items"]?.array ?? []
            var paged: [JSONValue] = []
            var cursor: String?
            repeat {
                let page = try await api.call(.get, "/v1/reconciliation-acts?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), as: .accountant).json
                paged += page["items"]?.array ?? []
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil && paged.count < 10
            #expect(whole.count == 3 && paged.map { $0["id"] } == whole.map { $0["id"] })
            #expect(try await api.call(.get, "/v1/reconciliation-acts?cursor=nonsense", as: .accountant).status == .unprocessableContent)
            let feed = try await api.call(.get, "/v1/events?type=reconciliation.act_disputed", as: .integration).json["items"]?.array ?? []
            #expect(feed.count == 1 && feed.first?["data"]?["act_id"] == .string(idC))
            let generatedEvents =
                try await api.call(.get, "/v1/events?type=reconciliation.act_generated", as: .integration).json["items"]?.array ?? []
            #expect(generatedEvents.count == 3 && generatedEvents.first?["data"]?["links"]?["html"] != nil)

            // Timeliness: both current acts answered the day they were made, neither made within 5 days of October's end.
            let kpi = try await api.call(.get, "/v1/kpi/act-timeliness?from=2026-10-01&to=2026-10-31", as: .viewer)
            #expect(kpi.status == .ok)
            let total = kpi.json["total"]
            #expect(total?["acts"] == .number(2) && total?["generated_on_time"] == .number(0) && total?["on_time_percent"] == .number(0))
            #expect(total?["confirmed"] == .number(1) && total?["disputed"] == .number(1) && total?["answered_in_time"] == .number(2))
            #expect(total?["unanswered"] == .number(0) && total?["answered_in_time_percent"] == .number(100))

            // Bad requests.
            #expect(try await api.call(.post, "/v1/reconciliation-acts/generate", json: #"{"period": "2026-11"}"#).status == .unprocessableContent)
            #expect(try await api.call(.post, "/v1/reconciliation-acts/generate", json: #"{"period": "октябрь"}"#).status == .unprocessableContent)
            #expect(try await api.call(.post, "/v1/reconciliation-acts/generate", as: .viewer, json: #"{"period": "2026-10"}"#).status == .forbidden)
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(UUID().lowercased)").status == .notFound)

            // The monthly job on the 1st: November's acts, once, even when run twice.
            clock.advance(by: 6 * 86400)
            for _ in 0..<2 {
                let requested = try await api.call(
                    .post, "/v1/jobs/reconciliation-acts/run", as: .manager, json: #"{"as_of": "2026-12-01T06:00:00+03:00"}"#)
                let location = try #require(requested.headers[.location])
                var status = requested.json["status"]
                for _ in 0..<200 where status != .string("succeeded") && status != .string("failed") {
                    try await Task.sleep(for: .milliseconds(50))
                    status = try await api.call(.get, location, as: .viewer).json["status"]
                }
                #expect(status == .string("succeeded"))
            }
            let november = try await api.call(.get, "/v1/reconciliation-acts?period=2026-11", as: .viewer).json["items"]?.array ?? []
            #expect(november.count == 2 && november.allSatisfy { $0["reason"] == .string("scheduled") })
            #expect(november.compactMap { $0["number"]?.stringValue }.allSatisfy { $0.hasPrefix("АС-2026-11-") })
        }
    }

    /// An act is `sent` once its `reconciliation.act_generated` reached a subscriber (the ERP or the
    /// EDO gateway that mails it); the event carries the links to its renderings.
    @Test(arguments: Backend.available)
    func anActIsSentOnceItsEventReachesTheSubscriber(_ backend: Backend) async throws {
        try await withReceiver { receiver in
            try await APIHarness.run(backend, configure: WebhooksAPITests.configure, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
                let endpoint = try await api.call(
                    .post, "/v1/webhooks/endpoints", json: #"{"url": "\#(receiver.url)", "event_types": ["reconciliation.act_generated"]}"#)
                #expect(endpoint.status == .created)
                _ = try await RhythmAndPlansAPITests.seed(
                    api, dealers: [("S-1", "accredited")], entries: [.init(code: "S-1", kind: "shipment", date: "2026-10-02", amount: "10.00")])
                _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
                let act = try #require(try await api.call(.get, "/v1/reconciliation-acts?period=2026-10").json["items"]?.array.first)
                let id = try #require(act["id"]?.stringValue)
                try await eventually("the act's event is delivered") {
                    try await api.call(.get, "/v1/reconciliation-acts/\(id)").json["status"] == .string("sent")
                }
                let received = try #require(receiver.requests.first { $0.type == "reconciliation.act_generated" })
                #expect(received.json["data"]?["links"]?["html"] == .string("/v1/reconciliation-acts/\(id)/act.html"))
                #expect(received.json["data"]?["number"] == act["number"])

                // Unanswered past the answer period (14 days): one reminder, however often the job runs.
                for asOf in ["2026-12-05T09:00:00+03:00", "2026-12-20T09:00:00+03:00", "2026-12-21T09:00:00+03:00"] {
                    let requested = try await api.call(.post, "/v1/jobs/act-reminders/run", as: .manager, json: #"{"as_of": "\#(asOf)"}"#)
                    let location = try #require(requested.headers[.location])
                    var status = requested.json["status"]
                    for _ in 0..<200 where status != .string("succeeded") && status != .string("failed") {
                        try await Task.sleep(for: .milliseconds(50))
                        status = try await api.call(.get, location, as: .viewer).json["status"]
                    }
                    #expect(status == .string("succeeded"))
                }
                let reminders = try await api.call(.get, "/v1/events?type=reconciliation.act_overdue", as: .integration).json["items"]?.array ?? []
                #expect(reminders.count == 1 && reminders.first?["data"]?["act_id"] == .string(id))
                let overdue = try await api.call(.get, "/v1/kpi/act-timeliness?from=2026-10-01&to=2026-10-31", as: .viewer)
                #expect(overdue.json["total"]?["unanswered"] == .number(1))
            }
        }
    }

    /// Validates a file against an FNS schema with `xmllint --schema` (Debian's libxml2-utils, which
    /// `.ci/run` installs), else `scripts/validate-xml` (the same libxml2 through Python); "valid" or
    /// the errors.
    static func validate(_ bytes: [UInt8], against schema: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("act-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bytes).write(to: file)
        let schemaPath = "Tests/Fixtures/fns-reconciliation-act/\(schema)"
        let xmllint = "/usr/bin/xmllint"
        let useXmllint = FileManager.default.isExecutableFile(atPath: xmllint)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: useXmllint ? xmllint : "/usr/bin/env")
        process.arguments = useXmllint ? ["--noout", "--schema", schemaPath, file.path] : ["python3", "scripts/validate-xml", schemaPath, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if useXmllint { return process.terminationStatus == 0 ? "valid" : text.trimmingCharacters(in: .whitespacesAndNewlines) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The act as the FNS sender's title (КНД 1110332) validates against the schema; what the format
    /// needs and is missing is named.
    static let edoConfigured: @Sendable (inout DealerdConfig) -> Void = { config in
        config.company.legalName = "ООО «Производитель»"
        config.company.inn = "7707083893"
        config.company.kpp = "773601001"
        config.fns.ogrn = "1027700132195"
        config.fns.email = "buh@maker.example"
        config.fns.signatory = .init(surname: "Иванова", name: "Мария", patronymic: "Петровна", position: "Главный бухгалтер")
    }

    @Test(arguments: Backend.available)
    func theElectronicActValidatesAgainstTheFNSSchema(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.edoConfigured, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
            var ids: [String] = []
            for (index, extra) in [
                #""kpp": "773601001", "attributes": {"ogrn": "1037739010891"}, "contacts": [{"name": "Бухгалтерия", "email": "buh@alfa.example"}]"#,
                #""kpp": "773601001", "contacts": [{"name": "Бухгалтерия", "phone": "+7 495 000-00-00"}]"#,
            ].enumerated() {
                let created = try await api.call(
                    .post, "/v1/dealers", as: .manager,
                    json: dealerJSON(
                        code: "X-\(index)", name: "Дилер & сын", taxID: KnownINN.organisations[index], extra: #""status": "applicant", \#(extra)"#))
                ids.append(try #require(created.json["id"]?.stringValue, "\(created.text)"))
                try await api.accredit(ids[index])
                for (n, entry) in [("shipment", "2026-10-02", "150000.50"), ("payment", "2026-10-20", "100000.00")].enumerated() {
                    _ = try await api.call(
                        .post, "/v1/dealers/\(ids[index])/ledger", as: .integration,
                        json:
                            #"{"external_id": "X\#(index)-\#(n)", "kind": "\#(entry.0)", "document_number": "Д-\#(n)", "document_date": "\#(entry.1)", "amount": "\#(entry.2)"}"#
                    )
                }
            }
            _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            let acts = try await api.call(.get, "/v1/reconciliation-acts?period=2026-10").json["items"]?.array ?? []
            let good = try #require(acts.first { $0["dealer_id"] == .string(ids[0]) }?["id"]?.stringValue)
            let xml = try await api.call(.get, "/v1/reconciliation-acts/\(good)/act.xml", as: .accountant, headers: [:])
            #expect(xml.status == .ok && xml.headers[.contentType] == "application/xml; charset=windows-1251")
            #expect(xml.headers[.contentDisposition]?.contains("filename=\"ON_AKTSVEROTP_") == true)
            let bytes = try await api.client.execute(
                uri: "/v1/reconciliation-acts/\(good)/act.xml", method: .get, headers: [.authorization: "Bearer \(api.keys[.accountant]!)"]
            ) { Array($0.body.readableBytesView) }
            #expect(try Self.validate(bytes, against: "ON_AKTSVEROTP_1_972_01_05_01_01.xsd") == "valid")
            let text = ImportText.decode(bytes, as: .windows1251).text
            #expect(text.contains(#"СальдоКонДеб="50000.50""#) && text.contains(#"НаимОрг="Дилер &amp; сын""#))
            #expect(text.contains(#"<СвОпер НомСтр="2" ДатаОпер="20.10.2026" НаимОпер="Оплата (платёжное поручение)" СумКредит="100000.00"/>"#))

            let noOGRN = try #require(acts.first { $0["dealer_id"] == .string(ids[1]) }?["id"]?.stringValue)
            let refused = try await api.call(.get, "/v1/reconciliation-acts/\(noOGRN)/act.xml", as: .accountant)
            #expect(
                refused.status == .unprocessableContent && refused.json["invalid_params"]?.array.first?["name"] == .string("dealer.attributes.ogrn"))

            // The dealer's EDO operator answers with the recipient's title: a disagreement on our payment line.
            let fileID = try #require(xml.headers[.contentDisposition]?.split(separator: "\"").dropFirst().first.map { String($0.dropLast(4)) })
            let example = ImportText.decode(
                Array(try Data(contentsOf: URL(fileURLWithPath: "Tests/Fixtures/fns-reconciliation-act/example-recipient-title.xml"))),
                as: .windows1251
            ).text
            let sentID = try #require(example.firstRange(of: #"ИдФайлИнфОтпр=""#).map { example[$0.upperBound...].prefix { $0 != "\"" } })
            let disagreement = example.replacingOccurrences(of: String(sentID), with: fileID)
                .replacingOccurrences(of: #"НомДок="123" ДатаДок="20.01.2024""#, with: #"НомДок="Д-1" ДатаДок="20.10.2026""#)
                // By its books it paid 3,500 of the 100,000 and owes 146,500.50: its own closing balance.
                .replacingOccurrences(of: #"<ТаблАкт ОборотКр="3500.00""#, with: #"<ТаблАкт ОборотКр="3500.00" СальдоКонКр="146500.50""#)
            let disagreementBytes = try #require(try? ImportText.encodeWindows1251(disagreement).get())
            #expect(try Self.validate(disagreementBytes, against: "ON_AKTSVERPOL_1_972_02_05_01_01.xsd") == "valid")
            let disputed = try await api.client.execute(
                uri: "/v1/reconciliation-acts/\(good)/edo-response", method: .post,
                headers: [.authorization: "Bearer \(api.keys[.accountant]!)", .contentType: "application/xml"],
                body: ByteBuffer(bytes: disagreementBytes)
            ) { response in APIHarness.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body)) }
            #expect(disputed.status == .ok, "\(disputed.text)")
            #expect(disputed.json["status"] == .string("disputed"))
            let line = disputed.json["dealer_side"]?["discrepancies"]?.array.first
            #expect(line?["document"] == .string("X0-1") && line?["ours"] == .string("100000.00") && line?["theirs"] == .string("3500.00"))
            #expect(line?["comment"] == .string("По нашим данным оплачено 3500.00"))
            #expect(disputed.json["dealer_side"]?["closing"] == .string("146500.50"), "the dealer's own closing balance from its table")

            // Agreement (ПризнРазн 1, no table) confirms; an answer to another act is refused.
            let agreement = { (actID: String) in
                disagreement.replacingOccurrences(of: #"ПризнРазн="2""#, with: #"ПризнРазн="1""#)
                    .replacingOccurrences(of: fileID, with: "ON_AKTSVEROTP_A_B_20261125_\(actID)")
                    .replacingOccurrences(of: #"(?s)\s*<ТаблАкт.*</ТаблАкт>"#, with: "", options: .regularExpression)
            }
            let agreed = try #require(try? ImportText.encodeWindows1251(agreement(noOGRN)).get())
            #expect(try Self.validate(agreed, against: "ON_AKTSVERPOL_1_972_02_05_01_01.xsd") == "valid")
            let wrong = try await api.call(
                .post, "/v1/reconciliation-acts/\(noOGRN)/edo-response", as: .accountant, headers: [.contentType: "application/xml"],
                body: agreement(good))
            #expect(wrong.status == .unprocessableContent && wrong.json["invalid_params"]?.array.first?["name"] == .string("file"))
            let confirmed = try await api.client.execute(
                uri: "/v1/reconciliation-acts/\(noOGRN)/edo-response", method: .post,
                headers: [.authorization: "Bearer \(api.keys[.accountant]!)", .contentType: "application/xml"], body: ByteBuffer(bytes: agreed)
            ) { response in APIHarness.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body)) }
            #expect(confirmed.json["status"] == .string("confirmed"))
            let garbage = try await api.call(
                .post, "/v1/reconciliation-acts/\(noOGRN)/edo-response", headers: [.contentType: "application/xml"], body: "<a>")
            #expect(garbage.status == .unprocessableContent)
        }
    }

    /// A sole trader is named by its 12-digit INN, its ОГРНИП and its full name (СвИП), which the
    /// legal name «ИП …» gives; without an ОГРНИП or a readable name the refusal names the field.
    @Test(arguments: Backend.available)
    func aSoleTradersElectronicActNamesItByINNOGRNIPAndFullName(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.edoConfigured, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
            let created = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(
                    code: "IP-1", name: "Петров", taxID: KnownINN.individual,
                    extra:
                        #""legal_name": "ИП Петров Пётр Петрович", "status": "applicant", "attributes": {"ogrn": "304500116000157"}, "contacts": [{"name": "Пётр", "phone": "+7 916 000-00-00"}]"#
                ))
            let id = try #require(created.json["id"]?.stringValue, "\(created.text)")
            try await api.accredit(id)
            _ = try await api.call(
                .post, "/v1/dealers/\(id)/ledger", as: .integration,
                json: #"{"external_id": "IP-1-1", "kind": "shipment", "document_number": "77", "document_date": "2026-10-12", "amount": "56000.00"}"#)
            _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            let act = try #require(try await api.call(.get, "/v1/reconciliation-acts?period=2026-10").json["items"]?.array.first?["id"]?.stringValue)
            let bytes = try await api.client.execute(
                uri: "/v1/reconciliation-acts/\(act)/act.xml", method: .get, headers: [.authorization: "Bearer \(api.keys[.accountant]!)"]
            ) { Array($0.body.readableBytesView) }
            #expect(try Self.validate(bytes, against: "ON_AKTSVEROTP_1_972_01_05_01_01.xsd") == "valid")
            let text = ImportText.decode(bytes, as: .windows1251).text
            #expect(
                text.contains(#"<СвИП ИННФЛ="500100732259" ОГРНИП="304500116000157"><ФИО Фамилия="Петров" Имя="Пётр" Отчество="Петрович"/></СвИП>"#))

            // A company's 13-digit ОГРН is not a sole trader's ОГРНИП.
            let updated = try await api.call(.patch, "/v1/dealers/\(id)", as: .manager, json: #"{"attributes": {"ogrn": "1037739010891"}}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let noOGRNIP = try await api.call(.get, "/v1/reconciliation-acts/\(act)/act.xml", as: .accountant)
            #expect(
                noOGRNIP.status == .unprocessableContent && noOGRNIP.json["invalid_params"]?.array.first?["name"] == .string("dealer.attributes.ogrn")
            )
            // A surname alone does not name a person; the card's surname and name fields do.
            let bare = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(
                    code: "IP-2", name: "Сидорова", taxID: "773601278507",
                    extra:
                        #""legal_name": "ИП Сидорова", "status": "applicant", "attributes": {"ogrn": "304500116000157"}, "contacts": [{"name": "Анна", "email": "a@ip.example"}]"#
                ))
            let bareID = try #require(bare.json["id"]?.stringValue, "\(bare.text)")
            try await api.accredit(bareID)
            _ = try await api.call(
                .post, "/v1/dealers/\(bareID)/ledger", as: .integration,
                json: #"{"external_id": "IP-2-1", "kind": "shipment", "document_number": "78", "document_date": "2026-10-13", "amount": "1000.00"}"#)
            _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            let bareAct = try #require(
                try await api.call(.get, "/v1/reconciliation-acts?period=2026-10&dealer=\(bareID)").json["items"]?.array.first?["id"]?.stringValue)
            let noName = try await api.call(.get, "/v1/reconciliation-acts/\(bareAct)/act.xml", as: .accountant)
            #expect(noName.status == .unprocessableContent && noName.json["invalid_params"]?.array.first?["name"] == .string("dealer.legal_name"))
            _ = try await api.call(
                .patch, "/v1/dealers/\(bareID)", as: .manager,
                json: #"{"attributes": {"ogrn": "304500116000157", "surname": "Сидорова", "name": "Анна", "patronymic": "Сергеевна"}}"#)
            let named = try await api.call(.get, "/v1/reconciliation-acts/\(bareAct)/act.xml", as: .accountant)
            #expect(named.status == .ok && named.text.isEmpty == false)
        }
    }

    /// The service specialist keeps a dealer's acts: the KPI counts each specialist's acts (by default)
    /// or each manager's, the accountant lists a specialist's acts, and only a manager of sales role
    /// `service` can be one.
    @Test(arguments: Backend.available)
    func actTimelinessIsReportedPerServiceSpecialist(_ backend: Backend) async throws {
        // 3 November: October's acts made within the 5 days allowed.
        let clock = TestClock(Timestamp.parse("2026-11-03T09:00:00+03:00")!)
        try await APIHarness.run(backend, clock: clock) { api in
            func manager(_ name: String, _ email: String, _ role: String) async throws -> String {
                let created = try await api.call(
                    .post, "/v1/managers", as: .manager, json: #"{"name": "\#(name)", "email": "\#(email)", "role": "\#(role)"}"#)
                return try #require(created.json["id"]?.stringValue, "\(created.text)")
            }
            let olga = try await manager("Ольга Сервисная", "olga@maker.example", "service")
            let ivan = try await manager("Иван Продажин", "ivan@maker.example", "existing_clients")
            let ids = try await RhythmAndPlansAPITests.seed(
                api, dealers: [("S-1", "accredited"), ("S-2", "accredited")],
                entries: [
                    .init(code: "S-1", kind: "shipment", date: "2026-10-10", amount: "1000.00"),
                    .init(code: "S-2", kind: "shipment", date: "2026-10-11", amount: "2000.00"),
                ])
            for (code, body) in [
                ("S-1", #"{"manager_id": "\#(ivan)", "service_specialist_id": "\#(olga)"}"#), ("S-2", #"{"manager_id": "\#(ivan)"}"#),
            ] {
                let assigned = try await api.call(.patch, "/v1/dealers/\(ids[code]!)", as: .manager, json: body)
                #expect(assigned.status == .ok, "\(assigned.text)")
            }
            #expect(try await api.call(.get, "/v1/dealers/\(ids["S-1"]!)").json["service_specialist_id"] == .string(olga))
            // A sales manager is not a service specialist; nor is someone unknown.
            for (specialist, message) in [(ivan, "not a service specialist"), (UUID().lowercased, "no manager")] {
                let refused = try await api.call(
                    .patch, "/v1/dealers/\(ids["S-2"]!)", as: .manager, json: #"{"service_specialist_id": "\#(specialist)"}"#)
                let problem = refused.json["invalid_params"]?.array.first
                #expect(refused.status == .unprocessableContent && problem?["name"] == .string("service_specialist_id"))
                #expect(problem?["reason"]?.stringValue?.contains(message) == true, "\(refused.text)")
            }

            _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            let olgasActs =
                try await api.call(.get, "/v1/reconciliation-acts?period=2026-10&service_specialist=\(olga)", as: .accountant).json["items"]?.array
                ?? []
            #expect(olgasActs.count == 1 && olgasActs.first?["dealer_id"] == .string(ids["S-1"]!))
            let confirmed = try await api.call(.post, "/v1/reconciliation-acts/\(olgasActs.first?["id"]?.stringValue ?? "")/confirm", as: .accountant)
            #expect(confirmed.json["status"] == .string("confirmed"))

            let bySpecialist = try await api.call(.get, "/v1/kpi/act-timeliness?from=2026-10-01&to=2026-10-31", as: .viewer).json
            #expect(bySpecialist["group_by"] == .string("service_specialist"))
            let groups = bySpecialist["groups"]?.array ?? []
            #expect(groups.count == 2)
            let hers = groups.first { $0["manager_id"] == .string(olga) }
            #expect(hers?["name"] == .string("Ольга Сервисная"))
            #expect(hers?["figures"]?["acts"] == .number(1) && hers?["figures"]?["generated_on_time"] == .number(1))
            #expect(hers?["figures"]?["confirmed"] == .number(1) && hers?["figures"]?["answered_in_time_percent"] == .number(100))
            let nobody = groups.first { $0["manager_id"] == .null }
            #expect(nobody?["figures"]?["acts"] == .number(1) && nobody?["figures"]?["unanswered"] == .number(1))

            let byManager = try await api.call(.get, "/v1/kpi/act-timeliness?from=2026-10-01&to=2026-10-31&group_by=manager", as: .viewer).json
            let managers = byManager["groups"]?.array ?? []
            #expect(managers.count == 1 && managers.first?["name"] == .string("Иван Продажин") && managers.first?["figures"]?["acts"] == .number(2))
            #expect(try await api.call(.get, "/v1/kpi/act-timeliness?group_by=region", as: .viewer).status == .unprocessableContent)
        }
    }
}
