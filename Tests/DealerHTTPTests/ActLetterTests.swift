import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
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
            #expect(text.contains("https://dealerd.example.ru/cabinet/acts/\(id)"), "\(text)")
            #expect(letter.html?.contains("Открыть в личном кабинете") == true)

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

            // The server took it: the act is sent, and the dealer still answers it.
            try await eventually(timeout: .seconds(10), "the act is marked sent") {
                try await api.call(.get, "/v1/reconciliation-acts/\(id)").json["status"] == .string("sent")
            }
            let confirmed = try await api.call(.post, "/v1/reconciliation-acts/\(id)/confirm", as: .accountant)
            #expect(confirmed.status == .ok && confirmed.json["status"] == .string("confirmed"), "\(confirmed.text)")
            #expect(sink.count() == 1, "a confirmation is no letter to the dealer")
        }
        try await sink.stop()
    }
}
