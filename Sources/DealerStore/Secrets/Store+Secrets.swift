import DealerCore
import Foundation
import SQLKit

/// How the stored secrets stand against the configured key.
public struct StoredSecretsReport: Sendable, Equatable {
    /// Stored as they are (no key was set when they were written).
    public var plain = 0
    /// Sealed under the current key.
    public var sealedCurrent = 0
    /// Sealed under a previous key that is still configured: `secrets rotate` re-seals them.
    public var sealedPrevious = 0
    /// Sealed under a key this process does not have: their endpoints cannot sign until it is given back.
    public var unreadable = 0

    public init() {}

    public var total: Int { plain + sealedCurrent + sealedPrevious + unreadable }
}

extension Store {
    /// Counts the stored secrets by how they are sealed. Reads only; opens nothing.
    public func storedSecretsReport() async throws -> StoredSecretsReport {
        let sealer = secrets
        return try await database.read { sql in
            var report = StoredSecretsReport()
            let rows = try await sql.raw("SELECT secret, previous_secret FROM webhook_endpoints").all()
            for row in rows {
                let values = [try row.decode(column: "secret", as: String.self), try row.decode(column: "previous_secret", as: String?.self)]
                for stored in values.compactMap({ $0 }) {
                    switch SecretSealer.keyID(of: stored) {
                    case nil: report.plain += 1
                    case let id? where id == sealer.current?.id: report.sealedCurrent += 1
                    case let id? where sealer.previous.contains { $0.id == id }: report.sealedPrevious += 1
                    default: report.unreadable += 1
                    }
                }
            }
            return report
        }
    }

    /// Re-seals every stored secret under the current key, in one transaction: plain ones and those
    /// under a previous key. If any cannot be opened, nothing is changed and the endpoints at fault
    /// are named. Returns how many values were re-sealed.
    public func resealSecrets(by actor: Caller) async throws -> Int {
        guard secrets.current != nil else {
            throw DomainError.conflict(field: "DEALERD_SECRETS_KEY", message: "set DEALERD_SECRETS_KEY to the key to seal under")
        }
        let sealer = secrets
        let flavor = database.flavor
        let now = clock.now()
        return try await writing { sql in
            let lock = flavor == .postgres ? " FOR UPDATE" : ""
            let rows = try await sql.raw("SELECT id, secret, previous_secret FROM webhook_endpoints ORDER BY id\(unsafeRaw: lock)").all()
            var updates: [(id: UUID, secret: String, previous: String?)] = []
            var failures: [String] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let secret = try row.decode(column: "secret", as: String.self)
                let previous = try row.decode(column: "previous_secret", as: String?.self)
                guard sealer.needsResealing(secret) || previous.map(sealer.needsResealing) == true else { continue }
                let context = Self.secretContext(id)
                do {
                    let resealed = try sealer.seal(try sealer.open(secret, context: context), context: context)
                    let resealedPrevious = try previous.map { try sealer.seal(try sealer.open($0, context: context), context: context) }
                    updates.append((id, resealed, resealedPrevious))
                } catch let problem as SecretSealer.Problem {
                    failures.append("webhook endpoint \(id.lowercased): \(problem.description)")
                }
            }
            guard failures.isEmpty else {
                throw DomainError.conflict(
                    field: "DEALERD_SECRETS_KEY_PREVIOUS", message: "nothing was re-sealed: " + failures.joined(separator: "; "))
            }
            for update in updates {
                try await sql.raw(
                    """
                    UPDATE webhook_endpoints SET secret = \(bind: update.secret), previous_secret = \(bind: update.previous)
                    WHERE id = \(bind: update.id)
                    """
                ).run()
            }
            if !updates.isEmpty {
                try await AuditTrail.append(
                    AuditRecord(
                        actor: actor.name, action: "secrets.reseal", entityType: "webhook_endpoint", entityID: "*", before: nil,
                        after: .object(["endpoints": .number(Decimal(updates.count)), "key_id": .string(sealer.current?.id ?? "")])),
                    at: now, on: sql)
            }
            return updates.count
        }
    }
}
