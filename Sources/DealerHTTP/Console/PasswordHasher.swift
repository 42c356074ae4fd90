import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt on NIO's blocking pool: a hash takes a quarter of a second by design, and must not hold
/// a cooperative thread that serves requests meanwhile.
struct PasswordHasher: Sendable {
    let cost: UInt8
    private let decoy: DecoyHash

    init(cost: UInt8) {
        // Config checks the range; a value outside it would trap inside bcrypt.
        self.cost = min(max(cost, ConsoleSettings.passwordCosts.lowerBound), ConsoleSettings.passwordCosts.upperBound)
        self.decoy = DecoyHash()
    }

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. Without a hash (no such account) a decoy of the same cost
    /// is checked instead, so the answer takes as long and tells nothing of which accounts exist.
    func verify(_ password: String, against hash: String?) async throws -> Bool {
        let subject: String
        if let hash { subject = hash } else { subject = try await decoy.value(cost: cost, hasher: self) }
        guard !password.utf8.contains(0) else { return false }
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: subject) }
        return matches && hash != nil
    }
}

/// A hash of a random password, made once on first use.
private actor DecoyHash {
    private var hash: String?

    func value(cost: UInt8, hasher: PasswordHasher) async throws -> String {
        if let hash { return hash }
        let made = try await hasher.hash(UUID().uuidString)
        hash = made
        return made
    }
}
