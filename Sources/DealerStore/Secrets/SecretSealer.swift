import Crypto
import DealerCore
import Foundation

/// Seals the secrets dealerd must keep readable (webhook signing secrets) with AES-256-GCM under
/// `DEALERD_SECRETS_KEY`, so a copy of the database or a backup does not hand them out.
///
/// A sealed value reads `sealed:v1:<key id>:<base64 of nonce, ciphertext and tag>`. The key id tells
/// which key sealed it, so after a key change the old key (`DEALERD_SECRETS_KEY_PREVIOUS`) still
/// opens what `dealerd secrets rotate` has not yet re-sealed. The row a secret belongs to is bound
/// in as associated data: a sealed value copied onto another row does not open there.
///
/// Without a key, secrets are written as they are and plain values are read as they are, so a
/// deployment that has never set a key keeps working; `config check` warns about it.
public struct SecretSealer: Sendable {
    public struct Key: Sendable {
        fileprivate let key: SymmetricKey
        /// Eight hex digits derived from the key (an HMAC, so they reveal nothing of it).
        public let id: String

        /// A key from its base64 text: exactly 32 bytes.
        public init(base64 text: String) throws(Problem) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Data(base64Encoded: trimmed) else { throw .keyNotBase64 }
            guard bytes.count == 32 else { throw .keyWrongLength(bytes.count) }
            key = SymmetricKey(data: bytes)
            let tag = HMAC<SHA256>.authenticationCode(for: Data("dealerd secrets key id".utf8), using: key)
            id = tag.prefix(4).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        }

        /// A new random key, as `dealerd secrets generate-key` prints it.
        public static func generateBase64() -> String {
            SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        }
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case keyNotBase64
        case keyWrongLength(Int)
        /// Sealed under a key that is neither the current nor a previous one.
        case unknownKey(String)
        /// Sealed, and no key is configured.
        case noKey
        /// Not a sealed value this version writes, or altered, or sealed for another row.
        case damaged

        public var description: String {
            switch self {
            case .keyNotBase64: "the secrets key is not base64 (make one with `dealerd secrets generate-key`)"
            case .keyWrongLength(let count): "the secrets key must decode to 32 bytes, not \(count)"
            case .unknownKey(let id):
                "the secret is sealed under key \(id), which is neither DEALERD_SECRETS_KEY nor DEALERD_SECRETS_KEY_PREVIOUS"
            case .noKey: "the secret is sealed and DEALERD_SECRETS_KEY is not set"
            case .damaged: "the sealed secret does not open: it was altered or belongs to another row"
            }
        }
    }

    static let marker = "sealed:v1:"

    /// Seals new secrets; nil: they are stored as they are.
    public let current: Key?
    /// Open what they sealed, for the time until `secrets rotate` has re-sealed it.
    public let previous: [Key]

    public static let none = SecretSealer(current: nil)

    public init(current: Key?, previous: [Key] = []) {
        self.current = current
        self.previous = previous
    }

    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(marker) }

    /// The id of the key that sealed `stored`, or nil for a plain value.
    public static func keyID(of stored: String) -> String? {
        guard isSealed(stored) else { return nil }
        return stored.dropFirst(marker.count).split(separator: ":", maxSplits: 1).first.map(String.init)
    }

    /// `plaintext` as it is to be stored for the row named by `context`.
    public func seal(_ plaintext: String, context: String) throws -> String {
        guard let current else { return plaintext }
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current.key, authenticating: Data(context.utf8))
        // `combined` is nil only for nonces of a non-standard size, which `seal` never makes.
        guard let combined = box.combined else { throw Problem.damaged }
        return Self.marker + current.id + ":" + combined.base64EncodedString()
    }

    /// The plaintext of a stored value: a plain one as it is, a sealed one opened with the key that sealed it.
    public func open(_ stored: String, context: String) throws(Problem) -> String {
        guard Self.isSealed(stored) else { return stored }
        let rest = stored.dropFirst(Self.marker.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard rest.count == 2, let combined = Data(base64Encoded: String(rest[1])) else { throw .damaged }
        let id = String(rest[0])
        guard current != nil || !previous.isEmpty else { throw .noKey }
        guard let key = ([current].compactMap { $0 } + previous).first(where: { $0.id == id }) else { throw .unknownKey(id) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
            guard let text = String(data: plain, encoding: .utf8) else { throw Problem.damaged }
            return text
        } catch {
            throw .damaged
        }
    }

    /// True when `stored` is not yet sealed under the current key (plain, or under a previous one).
    public func needsResealing(_ stored: String) -> Bool {
        guard let current else { return false }
        return Self.keyID(of: stored) != current.id
    }
}
