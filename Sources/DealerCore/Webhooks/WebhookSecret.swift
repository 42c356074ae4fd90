import Foundation

/// An endpoint's signing secret in the Standard Webhooks form: `whsec_` and the base64 of the key.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    public static let prefix = "whsec_"
    /// The text as shown once at creation and given to the receiver.
    public let text: String
    /// The HMAC key: the decoded bytes after the prefix.
    public let key: [UInt8]

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notBase64
        case wrongLength(Int)

        public var description: String {
            switch self {
            case .notBase64: "a webhook secret is whsec_ followed by base64"
            case .wrongLength(let count): "a webhook secret holds 24 to 64 bytes, not \(count)"
            }
        }
    }

    public init(_ text: String) throws(Problem) {
        let encoded = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
        guard let data = Data(base64Encoded: encoded) else { throw .notBase64 }
        guard (24...64).contains(data.count) else { throw .wrongLength(data.count) }
        self.text = Self.prefix + encoded
        self.key = Array(data)
    }

    /// A new secret of 32 random bytes from the system's secure generator.
    public static func generate() -> WebhookSecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return WebhookSecret(key: bytes)
    }

    private init(key: [UInt8]) {
        self.text = Self.prefix + Data(key).base64EncodedString()
        self.key = key
    }

    /// Never the secret itself: secrets must not reach logs.
    public var description: String { "whsec_…" }
}
