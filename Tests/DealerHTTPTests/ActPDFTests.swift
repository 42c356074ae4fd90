import DealerCore
import DealerPDF
import DealerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import dealerd

/// The act as a PDF, read back with poppler as a dealer's accountant would open it.
@Suite("The act as a PDF")
struct ActPDFTests {
    static let enabled = (Poppler.available && ActPDF.unavailability() == nil) || Poppler.required

    /// A month with shipments and a payment; returns the act's id.
    static func act(_ api: APIHarness, documents: [(number: String, kind: String, amount: String)]) async throws -> (act: String, dealer: String) {
        let created = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "PDF-1", name: "ООО «Альфа Моторс»"))
        let dealer = try #require(created.json["id"]?.stringValue, "\(created.text)")
        try await api.bring(dealer, to: "accredited")
        let lines = documents.enumerated().map { index, document in
            let day = String(format: "2026-10-%02d", 1 + index % 28)
            return
                #"{"dealer_code": "PDF-1", "external_id": "1C-\#(index)", "kind": "\#(document.kind)", "document_number": "\#(document.number)", "document_date": "\#(day)", "amount": "\#(document.amount)"}"#
        }
        let batch = try await api.call(.post, "/v1/ledger/batch", as: .integration, json: #"{"entries": [\#(lines.joined(separator: ","))]}"#)
        #expect(batch.status == .ok || batch.status == .created, "\(batch.text)")
        let made = try await api.call(
            .post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10", "dealer_id": "\#(dealer)"}"#)
        #expect(made.status == .ok, "\(made.text)")
        let listed = try await api.call(.get, "/v1/dealers/\(dealer)/reconciliation-acts", as: .accountant)
        return (try #require(listed.json["items"]?.array.first?["id"]?.stringValue, "\(listed.text)"), dealer)
    }

    /// The response's bytes as they came: `Reply.text` would decode them as UTF-8.
    static func download(_ api: APIHarness, _ uri: String, headers: HTTPFields) async throws -> (HTTPResponse.Status, HTTPFields, Data) {
        try await api.client.execute(uri: uri, method: .get, headers: headers, body: nil) { response in
            (response.status, response.headers, Data(response.body.readableBytesView))
        }
    }

    static func keyHeader(_ api: APIHarness, _ role: Role) -> HTTPFields {
        [.authorization: "Bearer \(api.keys[role] ?? "")"]
    }

    @Test(.enabled(if: enabled, "needs libharu and poppler-utils (apt-get install libhpdf-2.3.0 poppler-utils)"))
    func theAccountantDownloadsAnA4PDFWhoseTextNamesTheDealerEveryDocumentAndTheClosingBalance() async throws {
        try await APIHarness.run(.sqlite, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
            let documents = [
                (number: "РН-1001", kind: "shipment", amount: "100000.00"), (number: "РН-1002", kind: "shipment", amount: "250000.50"),
                (number: "ПП-2001", kind: "payment", amount: "50000.00"), (number: "РН-1003", kind: "shipment", amount: "12345.67"),
            ]
            let (id, dealer) = try await Self.act(api, documents: documents)
            let (status, headers, bytes) = try await Self.download(
                api, "/v1/reconciliation-acts/\(id)/act.pdf", headers: Self.keyHeader(api, .accountant))
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/pdf")
            #expect(headers[.contentDisposition]?.contains("filename*=UTF-8''") == true)
            #expect(bytes.starts(with: Array("%PDF-".utf8)))

            let folder = try TestArtifacts.directory()
            let pdf = folder.appendingPathComponent("reconciliation-act-libharu.pdf")
            try bytes.write(to: pdf)
            try Poppler.firstPage(of: pdf, to: folder.appendingPathComponent("reconciliation-act-libharu.png"))
            let info = try Poppler.info(of: pdf)
            #expect(info["Pages"] == "1")
            #expect(info["Page size"]?.hasPrefix("595.28 x 841.89 pts") == true, "A4: \(info["Page size"] ?? "")")
            #expect(info["Title"]?.hasPrefix("Акт сверки взаимных расчётов №") == true, "\(info)")

            // What a person selects and copies out of the PDF, spaces in amounts as they are.
            let text = try Poppler.text(of: pdf).replacingOccurrences(of: "\u{00A0}", with: " ")
            #expect(text.contains("Акт сверки взаимных расчётов"))
            #expect(text.contains("за период с 01.10.2026 по 31.10.2026"))
            #expect(text.contains("ООО «Альфа Моторс»"))
            for document in documents { #expect(text.contains(document.number), "\(document.number) in the PDF") }
            // 100 000,00 + 250 000,50 − 50 000,00 + 12 345,67
            #expect(text.contains("312 346,17"), "the closing balance")
            #expect(text.contains("задолженность в пользу"))
            #expect(text.contains("М.П."))

            // The dealer's own key reads it; another dealer's key finds nothing there.
            let own = try await api.dealerKey(for: dealer)
            #expect(try await Self.download(api, "/v1/reconciliation-acts/\(id)/act.pdf", headers: own).0 == .ok)
            let other = try await api.call(
                .post, "/v1/dealers", as: .manager, json: dealerJSON(code: "PDF-2", name: "Бета", taxID: KnownINN.organisations[1]))
            let otherKey = try await api.dealerKey(for: try #require(other.json["id"]?.stringValue))
            #expect(try await Self.download(api, "/v1/reconciliation-acts/\(id)/act.pdf", headers: otherKey).0 == .notFound)
            #expect(try await Self.download(api, "/v1/reconciliation-acts/\(id)/act.pdf", headers: [:]).0 == .unauthorized)
        }
    }

    @Test(.enabled(if: enabled, "needs libharu and poppler-utils (apt-get install libhpdf-2.3.0 poppler-utils)"))
    func aLongDisputedActRunsOverPagesWithEveryDocumentAndTheDealersFigures() async throws {
        try await APIHarness.run(.sqlite, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
            let documents = (1...140).map { (number: "РН-\(5000 + $0)", kind: "shipment", amount: "1000.00") }
            let (id, _) = try await Self.act(api, documents: documents)
            let disputed = try await api.call(
                .post, "/v1/reconciliation-acts/\(id)/dispute", as: .accountant,
                json:
                    #"{"closing": "139000", "discrepancies": [{"document": "1C-7", "ours": "1000", "theirs": "0", "comment": "товар не получен, претензия № 17"}]}"#
            )
            #expect(disputed.status == .ok, "\(disputed.text)")
            let (status, _, bytes) = try await Self.download(api, "/v1/reconciliation-acts/\(id)/act.pdf", headers: Self.keyHeader(api, .viewer))
            #expect(status == .ok)
            let pdf = try TestArtifacts.directory().appendingPathComponent("reconciliation-act-libharu-long.pdf")
            try bytes.write(to: pdf)
            let pages = Int(try Poppler.info(of: pdf)["Pages"] ?? "") ?? 0
            #expect((3...8).contains(pages), "140 documents over a few pages, not \(pages)")
            let text = try Poppler.text(of: pdf).replacingOccurrences(of: "\u{00A0}", with: " ")
            let missing = documents.filter { !text.contains($0.number) }.map(\.number)
            #expect(missing.isEmpty, "documents missing from the PDF: \(missing)")
            // Each page repeats the table's heading and says which page it is.
            #expect(text.components(separatedBy: "Документ").count - 1 >= pages)
            #expect(text.contains("стр. \(pages)"))
            #expect(text.contains("Расхождения"))
            // A comment wider than its cell breaks over lines.
            #expect(text.replacingOccurrences(of: "\n", with: " ").contains("товар не получен, претензия № 17"))
            #expect(text.contains("140 000,00") && text.contains("139 000,00"), "both sides' closing balances")
        }
    }

    /// A server without the fonts (or libharu) answers the download with a problem naming what is
    /// missing, and keeps serving everything else.
    @Test func withoutItsFontsThePDFIsAClearProblemAndNothingElseBreaks() async throws {
        try await APIHarness.run(
            .sqlite, configure: { $0.pdfFonts = PDFFonts.inFolder("/nonexistent/fonts") }, clock: TestClock(RhythmAndPlansAPITests.start)
        ) { api in
            let (id, _) = try await Self.act(api, documents: [(number: "РН-1", kind: "shipment", amount: "10.00")])
            let reply = try await api.call(.get, "/v1/reconciliation-acts/\(id)/act.pdf", as: .accountant)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(reply.json["type"] == .string("urn:dealerd:problem:pdf_unavailable"), "\(reply.text)")
            let detail = reply.json["detail"]?.stringValue ?? ""
            #expect(detail.contains("/nonexistent/fonts/DejaVuSans") || detail.contains("libharu"), "\(detail)")
            #expect(try await api.call(.get, "/v1/reconciliation-acts/\(id)/act.html", as: .accountant).status == .ok)
        }
    }

    /// `reconciliation.pdf_fonts` names a folder with DejaVu Sans; one without it is refused at start.
    @Test func theFontFolderComesFromConfigAndAMissingOneIsNamed() async throws {
        let good = try SegmentPolicyConfigTests.configFile("reconciliation:\n  pdf_fonts: /usr/share/fonts/truetype/dejavu\n")
        defer { try? FileManager.default.removeItem(atPath: good) }
        if ActPDF.unavailability() == nil {
            #expect(try await ConfigLoader.load(path: good, environment: [:]).pdfFonts == .debian)
        }
        let bad = try SegmentPolicyConfigTests.configFile("reconciliation:\n  pdf_fonts: /nonexistent/fonts\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        await #expect {
            try await ConfigLoader.load(path: bad, environment: [:])
        } throws: { error in
            "\(error)".contains("reconciliation.pdf_fonts: /nonexistent/fonts/DejaVuSans.ttf, /nonexistent/fonts/DejaVuSans-Bold.ttf not found")
        }
    }
}
