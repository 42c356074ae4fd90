import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import dealerd

/// The month's act reaches the dealer's accounting by e-mail, as the shipped rules say: the PDF and
/// the FNS XML attached, a link to the act in its cabinet, and the act `sent` once the server took it.
@Suite("The act by e-mail to the dealer")
struct ActLetterTests {
    @Test(arguments: Backend.available)
    func theAccountingContactGetsTheActAsPDFAndXMLAndTheActIsSent(_ backend: Backend) async throws {
        let sink = try await SMTPSink.start()
        let configure: @Sendable (inout DealerdConfig) -> Void = { config in
            NotificationEmailAPITests.configure(sink)(&config)
            ReconciliationActsAPITests.edoConfigured(&config)
        }
        try await APIHarness.run(backend, configure: configure) { api in
            let created = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(
                    code: "ACT-1", name: "Альфа Моторс",
                    extra:
                        #""kpp": "773601001", "attributes": {"ogrn": "1037739010891"}, "contacts": [{"name": "Ольга Смирнова", "email": "buh@alfa.example", "purpose": "accounting"}, {"name": "Директор", "email": "boss@alfa.example", "purpose": "director"}]"#
                ))
            let dealer = try #require(created.json["id"]?.stringValue, "\(created.text)")
            try await api.bring(dealer, to: "accredited")
            for (number, kind, amount) in [("РН-771", "shipment", "150000.50"), ("ПП-772", "payment", "100000.00")] {
                let entry = try await api.call(
                    .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                    json:
                        #"{"external_id": "1C-\#(number)", "kind": "\#(kind)", "document_number": "\#(number)", "document_date": "2026-10-15", "amount": "\#(amount)"}"#
                )
                #expect(entry.status == .created, "\(entry.text)")
            }
            let made = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            #expect(made.status == .ok, "\(made.text)")
            let act = try #require(try await api.call(.get, "/v1/dealers/\(dealer)/reconciliation-acts").json["items"]?.array.first)
            let id = try #require(act["id"]?.stringValue)
            let number = try #require(act["number"]?.stringValue)

            let mail = try await sink.waitFor(1)
            #expect(mail.count == 1, "to accounting only, not the director: \(mail.map(\.rcptTos))")
            let letter = try #require(mail.first)
            #expect(letter.rcptTos == ["buh@alfa.example"])
            #expect(letter.to == "Ольга Смирнова <buh@alfa.example>")
            #expect(letter.subject == "Акт сверки \(number) за 01.10.2026–31.10.2026 от ООО «Производитель»", "\(letter.subject)")
            #expect(letter.listUnsubscribe != nil, "a letter to a dealer can be unsubscribed from")
            let text = try #require(letter.text)
            #expect(text.contains("Здравствуйте, Ольга Смирнова!"), "\(text)")
            #expect(text.contains("50\u{00A0}000,50\u{00A0}₽"), "the closing balance: \(text)")
            let link = try #require(text.firstMatch(of: /https:\/\/dealerd\.example\.ru(\/act-answer\/[A-Za-z0-9_-]{40,})/), "\(text)")
            let path = String(link.output.1)
            #expect(letter.html?.contains("Открыть акт и ответить") == true && letter.html?.contains(path) == true)

            let pdf = try #require(letter.attachments.first { $0.contentType == "application/pdf" }, "\(letter.attachments)")
            #expect(pdf.filename == "Акт сверки \(number).pdf")
            let xml = try #require(letter.attachments.first { $0.contentType == "application/xml" }, "\(letter.attachments)")
            #expect(xml.filename?.hasPrefix("ON_AKTSVEROTP_") == true, "named by its ИдФайл: \(xml.filename ?? "")")
            let xmlBytes = try Data(contentsOf: URL(fileURLWithPath: xml.path))
            #expect(String(decoding: xmlBytes.prefix(60), as: UTF8.self).contains("windows-1251"))
            if ActPDFTests.enabled {
                let text = try Poppler.text(of: URL(fileURLWithPath: pdf.path)).replacingOccurrences(of: "\u{00A0}", with: " ")
                #expect(text.contains("Альфа Моторс") && text.contains("РН-771") && text.contains("ПП-772") && text.contains("50 000,50"), "\(text)")
            }

            // The server took it: the act is sent.
            try await eventually("the act is marked sent") {
                try await api.call(.get, "/v1/reconciliation-acts/\(id)").json["status"] == .string("sent")
            }
            // The log shows the letter but not the code that answers the act.
            let logged = try await api.call(.get, "/v1/notifications?dealer_id=\(dealer)", as: .accountant).text
            #expect(logged.contains("/act-answer/…") && !logged.contains(path), "\(logged)")

            // The accountant opens the link, no account needed: the act, its PDF, and the answer.
            let browser = ConsoleBrowser(api: api)
            #expect(try await browser.get("/act-answer/not-a-code").status == .notFound)
            let page = try await browser.get(path)
            #expect(page.status == .ok, "\(page.text)")
            #expect(
                page.plain.contains("Акт сверки \(number)") && page.plain.contains("РН-771") && page.plain.contains("50 000,50 ₽"), "\(page.plain)")
            let csrf = try #require(page.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            // The page as the accountant sees it, for people to look at.
            if HeadlessChromium.executable != nil, let port = api.client.port, let url = URL(string: "http://127.0.0.1:\(port)\(path)") {
                try HeadlessChromium.screenshot(of: url, to: try TestArtifacts.directory().appendingPathComponent("act-answer-page.png"))
            }
            if ActPDFTests.enabled {
                let pdf = try await browser.get(path + "/act.pdf")
                #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            }
            #expect(try await browser.post(path + "/confirm", ["csrf": "forged"]).status == .forbidden)
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(id)").json["status"] == .string("sent"))
            let confirmed = try await browser.post(path + "/confirm", ["csrf": csrf])
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == path + "?done=confirmed", "\(confirmed.text)")
            let stored = try await api.call(.get, "/v1/reconciliation-acts/\(id)").json
            #expect(stored["status"] == .string("confirmed") && stored["answered_by"] == .string("buh@alfa.example"), "\(stored)")
            let after = try await browser.get(path + "?done=confirmed")
            #expect(after.plain.contains("Спасибо! Акт подтверждён.") && !after.text.contains("/confirm\""))
            #expect(try await browser.post(path + "/confirm", ["csrf": csrf]).status == .conflict, "answered once")
            #expect(sink.count() == 1, "a confirmation is no letter to the dealer")
        }
        try await sink.stop()
    }

    /// The accountant names the differences through the link: a wrong amount is refused by its field,
    /// and the dispute lands as the API's would, answered by the letter's address.
    @Test func throughTheLinkTheAccountantDisputesTheActLineByLine() async throws {
        let sink = try await SMTPSink.start()
        try await APIHarness.run(.sqlite, configure: NotificationEmailAPITests.configure(sink)) { api in
            let created = try await api.call(
                .post, "/v1/dealers", as: .manager,
                json: dealerJSON(
                    code: "ACT-2", name: "Бета Трак",
                    extra: #""contacts": [{"name": "Бухгалтерия", "email": "buh@beta.example", "purpose": "accounting"}]"#))
            let dealer = try #require(created.json["id"]?.stringValue, "\(created.text)")
            try await api.bring(dealer, to: "accredited")
            _ = try await api.call(
                .post, "/v1/dealers/\(dealer)/ledger", as: .integration,
                json: #"{"external_id": "1C-881", "kind": "shipment", "document_number": "РН-881", "document_date": "2026-10-05", "amount": "80000"}"#
            )
            _ = try await api.call(.post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10"}"#)
            let id = try #require(
                try await api.call(.get, "/v1/dealers/\(dealer)/reconciliation-acts").json["items"]?.array.first?["id"]?.stringValue)
            let letter = try #require(try await sink.waitFor(1).first)
            #expect(letter.attachments.contains { $0.contentType == "application/pdf" } == ActPDFTests.enabled)
            #expect(!letter.attachments.contains { $0.contentType == "application/xml" }, "no ОГРН on file: the letter goes without the XML")
            let path = try #require(letter.text?.firstMatch(of: /\/act-answer\/[A-Za-z0-9_-]{40,}/).map { String($0.output) })

            let browser = ConsoleBrowser(api: api)
            let form = try await browser.get(path + "/dispute")
            #expect(form.status == .ok && form.text.contains("action=\"\(path)/dispute\""), "\(form.text)")
            let csrf = try #require(form.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })
            let wrong = try await browser.post(path + "/dispute", ["csrf": csrf, "document_0": "РН-881", "theirs_0": "восемьдесят"])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("theirs_0-error"), "\(wrong.text)")
            let sent = try await browser.post(
                path + "/dispute", ["csrf": csrf, "document_0": "РН-881", "ours_0": "80 000,00", "theirs_0": "75 000,00", "comment_0": "скидка 5 %"])
            #expect(sent.status == .seeOther && sent.headers[.location] == path + "?done=disputed", "\(sent.text)")
            let stored = try await api.call(.get, "/v1/reconciliation-acts/\(id)").json
            #expect(stored["status"] == .string("disputed") && stored["answered_by"] == .string("buh@beta.example"), "\(stored)")
            #expect(try await browser.get(path + "?done=disputed").plain.contains("Разногласия отправлены"))
        }
        try await sink.stop()
    }
}
