import Crypto
import DealerCore
import Foundation

/// Signing and verification per the Standard Webhooks specification: the signed content is
/// `id.timestamp.body`, each signature is `v1,<base64 HMAC-SHA256>`, several are space-separated.
public enum WebhookSignature {
    /// How far a timestamp may be from the verifier's clock (the specification's default).
    public static let tolerance: TimeInterval = 5 * 60

    /// The `webhook-signature` header value: one `v1,` signature per secret (two during rotation).
    public static func sign(id: String, timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]) -> String {
        secrets.map { "v1," + signature(id: id, timestamp: timestamp, body: body, key: $0.key) }.joined(separator: " ")
    }

    static func signature(id: String, timestamp: Int64, body: [UInt8], key: [UInt8]) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString()
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missingHeaders([String])
        case invalidTimestamp
        case timestampTooOld
        case timestampInFuture
        case noMatchingSignature

        public var description: String {
            switch self {
            case .missingHeaders(let names): "missing headers: \(names.joined(separator: ", "))"
            case .invalidTimestamp: "webhook-timestamp is not a Unix time in seconds"
            case .timestampTooOld: "webhook-timestamp is more than 5 minutes old (a replay?)"
            case .timestampInFuture: "webhook-timestamp is more than 5 minutes in the future"
            case .noMatchingSignature: "no v1 signature matches the body and the secret"
            }
        }
    }

    /// Checks a received message as a receiver would: headers present, timestamp fresh, and at least one
    /// `v1` signature matching (compared in constant time).
    public static func verify(
        id: String?, timestamp: String?, signatures: String?, body: [UInt8], secret: WebhookSecret, now: Date = Date()
    ) throws(Failure) {
        let missing = [("webhook-id", id), ("webhook-timestamp", timestamp), ("webhook-signature", signatures)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let id, let timestamp, let signatures else { throw .missingHeaders(missing) }
        guard let seconds = Int64(timestamp) else { throw .invalidTimestamp }
        let age = now.timeIntervalSince1970 - Double(seconds)
        if age > tolerance { throw .timestampTooOld }
        if age < -tolerance { throw .timestampInFuture }
        let expected = Array(signature(id: id, timestamp: seconds, body: body, key: secret.key).utf8)
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { continue }
            if constantTimeEqual(Array(parts[1].utf8), expected) { return }
        }
        throw .noMatchingSignature
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
