import Foundation

/// An e-mail as it goes over the wire (RFC 5322 with MIME): UTF-8 text and HTML as alternatives,
/// attachments, and headers in RFC 2047 encoded words where they are not ASCII. The one writer of
/// this format.
public struct MIMEMessage: Sendable, Equatable {
    public struct Mailbox: Sendable, Equatable {
        public var name: String?
        public var address: String

        public init(name: String? = nil, address: String) {
            self.name = name
            self.address = address
        }
    }

    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var contentType: String
        public var data: Data

        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// Without the angle brackets: `uuid@domain`.
    public var messageID: String
    public var date: Date
    /// `List-Unsubscribe` targets (a `mailto:` or `https:` URI each), for letters to dealers.
    public var unsubscribe: [String]

    public init(
        from: Mailbox, to: Mailbox, subject: String, text: String, html: String? = nil, attachments: [Attachment] = [], messageID: String,
        date: Date, unsubscribe: [String] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.unsubscribe = unsubscribe
    }

    /// The message with CRLF line ends, ready for DATA (before dot-stuffing).
    public func rendered(boundarySeed: String = UUID().uuidString.lowercased()) -> String {
        var headers = [
            "From: " + Self.mailbox(from),
            "To: " + Self.mailbox(to),
            "Subject: " + Self.encodedWords(subject, firstLineUsed: "Subject: ".count),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        if !unsubscribe.isEmpty {
            headers.append("List-Unsubscribe: " + unsubscribe.map { "<\($0)>" }.joined(separator: ", "))
            if unsubscribe.contains(where: { $0.hasPrefix("https:") }) { headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click") }
        }
        let alternative = "alt-" + boundarySeed
        let mixed = "mix-" + boundarySeed
        var body: [String] = []
        func textPart(_ content: String, subtype: String) {
            body.append("Content-Type: text/\(subtype); charset=utf-8")
            body.append("Content-Transfer-Encoding: base64")
            body.append("")
            body.append(contentsOf: Self.base64Lines(Data(Self.crlf(content).utf8)))
        }
        func alternatives() {
            if let html {
                body.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
                body.append("")
                body.append("--\(alternative)")
                textPart(text, subtype: "plain")
                body.append("--\(alternative)")
                textPart(html, subtype: "html")
                body.append("--\(alternative)--")
            } else {
                textPart(text, subtype: "plain")
            }
        }
        if attachments.isEmpty {
            alternatives()
        } else {
            body.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
            body.append("")
            body.append("--\(mixed)")
            alternatives()
            for attachment in attachments {
                body.append("--\(mixed)")
                let name = Self.encodedWords(attachment.filename, firstLineUsed: 40)
                body.append("Content-Type: \(attachment.contentType); name=\"\(name)\"")
                body.append("Content-Transfer-Encoding: base64")
                body.append("Content-Disposition: attachment; filename*=utf-8''\(Self.percentEncoded(attachment.filename))")
                body.append("")
                body.append(contentsOf: Self.base64Lines(attachment.data))
            }
            body.append("--\(mixed)--")
        }
        return (headers + body).joined(separator: "\r\n") + "\r\n"
    }

    static func mailbox(_ mailbox: Mailbox) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return "<\(mailbox.address)>" }
        let plain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " .-_".contains($0)) }
        return (plain ? name : encodedWords(name, firstLineUsed: 10)) + " <\(mailbox.address)>"
    }

    /// RFC 2047 `=?utf-8?B?…?=` words of at most 75 characters, folded, never splitting a character;
    /// plain ASCII text without specials stays as it is.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.allSatisfy({ $0.isASCII && !$0.isNewline }) && !clean.contains("=?") && clean.count + firstLineUsed <= 76 { return clean }
        // 75 - "=?utf-8?B?" - "?=" leaves 63 base64 characters: 45 bytes of UTF-8 at most.
        var words: [String] = []
        var chunk = Data()
        for character in clean {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "attachment"
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
