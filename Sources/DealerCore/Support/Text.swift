import Foundation

extension String {
    /// The string with surrounding whitespace removed, or nil when nothing is left.
    public var trimmedNonEmpty: String? {
        // Most values arrive trimmed already; trimming allocates.
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return nil }
        if !CharacterSet.whitespacesAndNewlines.contains(first) && !CharacterSet.whitespacesAndNewlines.contains(last) { return self }
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A plausible e-mail address: one `@`, something before it, a dotted domain after it, no spaces.
    /// Deliverability is the mail server's business; this only catches typos.
    public var looksLikeEmail: Bool {
        let parts = split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !contains(where: { $0.isWhitespace })
        else { return false }
        return true
    }
}

extension BinaryInteger {
    /// The decimal digits, left-padded with zeros to `width` (a sign, if any, comes first).
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(self.magnitude)
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        return self < 0 ? "-" + padded : padded
    }
}

extension UUID {
    /// The canonical lower-case text form used in JSON, URLs and text columns. Written from the bytes:
    /// Foundation's `uuidString` goes through `sprintf`, and this is on every row's path.
    public var lowercased: String {
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
