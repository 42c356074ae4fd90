import DealerJobs
import Foundation
import Testing

@Suite("The e-mail writer: MIME parts, RFC 2047 headers, dot-stuffing")
struct MIMEMessageTests {
    static let message = MIMEMessage(
        from: .init(name: "Отдел продаж", address: "dealerd@maker.example"), to: .init(name: "Анна Иванова", address: "anna@example.ru"),
        subject: "⚠️ «Альфа Моторс» превысил кредитный лимит: долг 1 050 000 ₽ при лимите 1 000 000 ₽ (105 %)",
        text: "Строка 1\n.начинается с точки\n", html: "<p>Привет</p>",
        attachments: [.init(filename: "Акт сверки АС-2026-11-000001.pdf", contentType: "application/pdf", data: Data(repeating: 0x25, count: 200))],
        messageID: "abc@maker.example", date: Date(timeIntervalSince1970: 1_796_000_000),
        unsubscribe: ["mailto:dealerd@maker.example?subject=unsubscribe"])

    @Test func headersAreASCIIWithEncodedWordsNoLongerThanSeventyFive() throws {
        let rendered = Self.message.rendered(boundarySeed: "b")
        let head = try #require(rendered.components(separatedBy: "\r\n\r\n").first)
        let ascii = head.allSatisfy { $0.isASCII }
        #expect(ascii, "headers are ASCII on the wire")
        for line in head.components(separatedBy: "\r\n") { #expect(line.count <= 998) }
        let words = head.matches(of: /=\?utf-8\?B\?([A-Za-z0-9+\/=]+)\?=/)
        #expect(!words.isEmpty)
        var subject = Data()
        for word in words {
            #expect(word.output.0.count <= 75, "an encoded word is at most 75 characters")
            let bytes = try #require(Data(base64Encoded: String(word.output.1)))
            #expect(String(data: bytes, encoding: .utf8) != nil, "no word splits a character")
            subject.append(bytes)
        }
        #expect(String(decoding: subject, as: UTF8.self).contains(Self.message.subject))
        #expect(head.contains("Message-ID: <abc@maker.example>"))
        #expect(head.contains("Date: Mon, 30 Nov 2026 00:53:20 +0000"))
        #expect(head.contains("List-Unsubscribe: <mailto:dealerd@maker.example?subject=unsubscribe>"))
        #expect(head.contains("Content-Type: multipart/mixed; boundary=\"mix-b\""))
        #expect(rendered.contains("filename*=utf-8''%D0%90%D0%BA%D1%82"))
        #expect(rendered.hasSuffix("--mix-b--\r\n"))
    }

    @Test func aPlainASCIISubjectStaysReadable() {
        var message = Self.message
        message.subject = "Test report"
        message.html = nil
        message.attachments = []
        let rendered = message.rendered(boundarySeed: "b")
        #expect(rendered.contains("\r\nSubject: Test report\r\n"))
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"))
        #expect(!rendered.contains("multipart"))
    }
}
