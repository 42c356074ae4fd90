import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

/// The printable act as an accountant prints it: rendered by a real browser, on A4, nothing cut off
/// at the right edge, both sides' tables and the signature blocks on the page. The PNG and the PDF
/// stay in the test artifacts (`.build/test-artifacts/`) for a person to look at.
@Suite("The printed reconciliation act")
struct ActPrintTests {
    @Test(.enabled(if: HeadlessChromium.executable != nil || HeadlessChromium.required, "needs chromium (apt-get install chromium)"))
    func aDisputedActPrintsOnA4WithBothSidesAndNothingCutOff() async throws {
        try await APIHarness.run(.sqlite, clock: TestClock(RhythmAndPlansAPITests.start)) { api in
            // A busy month: a dozen shipments with long document titles, payments between them.
            var entries: [RhythmAndPlansAPITests.Entry] = [.init(code: "PRINT-1", kind: "shipment", date: "2026-09-15", amount: "480000.00")]
            for day in stride(from: 1, through: 31, by: 2) {
                let date = String(format: "2026-10-%02d", day)
                entries.append(.init(code: "PRINT-1", kind: day % 6 == 5 ? "payment" : "shipment", date: date, amount: "\(day * 13_579).45"))
            }
            let ids = try await RhythmAndPlansAPITests.seed(api, dealers: [("PRINT-1", "accredited")], entries: entries)
            let made = try await api.call(
                .post, "/v1/reconciliation-acts/generate", as: .accountant, json: #"{"period": "2026-10", "dealer_id": "\#(ids["PRINT-1"]!)"}"#)
            #expect(made.status == .ok, "\(made.text)")
            let act = try #require(try await api.call(.get, "/v1/reconciliation-acts?period=2026-10", as: .accountant).json["items"]?.array.first)
            let id = try #require(act["id"]?.stringValue)
            let disputed = try await api.call(
                .post, "/v1/reconciliation-acts/\(id)/dispute", as: .accountant,
                json:
                    #"{"closing": "1000000", "discrepancies": [{"document": "E-3", "ours": "67897.45", "theirs": "0", "comment": "товар не получен, претензия № 17"}]}"#
            )
            #expect(disputed.status == .ok, "\(disputed.text)")
            let html = try await api.call(.get, "/v1/reconciliation-acts/\(id)/act.html", as: .accountant).text

            let folder = try TestArtifacts.directory()
            let page = folder.appendingPathComponent("reconciliation-act.html")
            try html.write(to: page, atomically: true, encoding: .utf8)
            let png = folder.appendingPathComponent("reconciliation-act.png")
            let pdf = folder.appendingPathComponent("reconciliation-act.pdf")
            try HeadlessChromium.screenshot(of: page, to: png, height: 2 * HeadlessChromium.a4.height)
            try HeadlessChromium.printToPDF(page, to: pdf)

            let pngBytes = try Data(contentsOf: png)
            #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
            let pages = HeadlessChromium.pageSizes(ofPDF: try Data(contentsOf: pdf))
            #expect((1...2).contains(pages.count), "sixteen documents print on one or two pages, not \(pages.count)")
            // A4 is 595 × 842 points.
            #expect(pages.allSatisfy { abs($0.width - 595) < 2 && abs($0.height - 842) < 2 }, "A4 pages: \(pages)")

            // Measured in the rendered page at A4 width: nothing wider than the page, every part there.
            let probe = page.deletingLastPathComponent().appendingPathComponent("reconciliation-act-measured.html")
            let measuring = """
                <script>
                window.addEventListener('load', () => {
                  const widest = Math.max(...[...document.querySelectorAll('table, h1, p, div')].map(e => e.getBoundingClientRect().right));
                  const out = document.createElement('pre');
                  out.id = 'measured';
                  out.textContent = JSON.stringify({
                    page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest),
                    overflowing: [...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent),
                    tables: document.querySelectorAll('table').length, rows: document.querySelectorAll('tr').length,
                    text: document.body.innerText
                  });
                  document.body.appendChild(out);
                });
                </script>
                """
            try html.replacingOccurrences(of: "</body>", with: measuring + "</body>").write(to: probe, atomically: true, encoding: .utf8)
            let dom = try HeadlessChromium.renderedDOM(of: probe)
            let json = try #require(dom.range(of: #"<pre id="measured">"#).map { dom[$0.upperBound...] }?.prefix { $0 != "<" })
            let measured = try DealerJSON.decoder().decode(
                JSONValue.self, from: Data(String(json).replacingOccurrences(of: "&quot;", with: "\"").utf8))
            let width = try #require(Self.int(measured["page"]))
            #expect(Self.int(measured["scroll"]) == width, "no horizontal scrolling at A4 width: \(measured["scroll"] ?? .null) > \(width)")
            #expect((Self.int(measured["widest"]) ?? .max) <= width, "nothing reaches past the page's edge")
            #expect(measured["overflowing"] == .array([]), "every figure and title fits its cell")
            let text = measured["text"]?.stringValue ?? ""
            #expect(text.components(separatedBy: "По данным").count - 1 >= 2, "our side and the dealer's")
            for expected in [
                "Акт сверки взаимных расчётов", "По данным ООО «Производитель»", "Дилер PRINT-1", "товар не получен, претензия № 17", "М.П.",
            ] {
                #expect(text.contains(expected), "the printed act shows “\(expected)”")
            }
            #expect((Self.int(measured["rows"]) ?? 0) >= 17 + 4, "a row per document on our side, plus the balances and turnovers")
        }
    }

    static func int(_ value: JSONValue?) -> Int? {
        if case .number(let number)? = value { return NSDecimalNumber(decimal: number).intValue }
        return nil
    }
}
