import Crypto
import DealerCore
import Foundation
import SQLKit

/// A key as handed out once: the secret is shown to the operator and never stored.
public struct IssuedAPIKey: Sendable {
    public var key: APIKey
    public var secret: String
}

extension Store {
    /// The PostgreSQL channel a revocation notifies, for the key caches of every running server.
    public static let apiKeysChannel = "dealerd_api_keys"

    /// Creates a key. The secret is `dk_` and 32 random bytes in base64url; only its SHA-256 is stored.
    /// A `dealer` key must name its dealer (by id or code); no other role may. A `manager` key may
    /// name the manager it speaks for (by id or email), which an override by the head of sales needs.
    public func createAPIKey(
        name rawName: String, role: Role, dealer: DealerReference? = nil, manager: String? = nil, by actor: Caller
    ) async throws -> IssuedAPIKey {
        guard let name = rawName.trimmedNonEmpty, name.count <= 100 else {
            throw ValidationError(field: "name", "a key needs a name of 1 to 100 characters")
        }
        switch (role, dealer) {
        case (.dealer, nil): throw ValidationError(field: "dealer", "a dealer key belongs to one dealer: name it by id or code")
        case (.dealer, _), (_, nil): break
        case (_, .some): throw ValidationError(field: "dealer", "only a dealer key is bound to a dealer")
        }
        if manager != nil && role != .manager {
            throw ValidationError(field: "manager", "only a manager key speaks for a manager")
        }
        let now = clock.now()
        let secret = APIKeySecret.generate()
        return try await writing { sql in
            if try await sql.raw("SELECT id FROM api_keys WHERE name = \(bind: name)").first() != nil {
                throw DomainError.conflict(field: "name", message: "a key named \(name) already exists")
            }
            var dealerID: UUID?
            if let dealer {
                guard let id = try await Self.resolveDealers([dealer], on: sql)[dealer] else {
                    throw ValidationError(field: "dealer", "no dealer \(dealer)")
                }
                dealerID = id
            }
            var managerID: UUID?
            if let manager {
                let condition: SQLQueryString = UUID(uuidString: manager).map { "id = \(bind: $0)" } ?? "lower(email) = \(bind: manager.lowercased())"
                guard let row = try await sql.raw("SELECT id FROM managers WHERE \(condition)").first() else {
                    throw ValidationError(field: "manager", "no manager \(manager) (name one by id or email)")
                }
                managerID = try row.decode(column: "id", as: UUID.self)
            }
            let key = APIKey(
                id: UUID(), name: name, role: role, prefix: String(secret.prefix(11)), dealerID: dealerID, managerID: managerID,
                createdAt: now)
            try await sql.raw(
                """
                INSERT INTO api_keys (id, name, role, prefix, dealer_id, manager_id, key_hash, created_at)
                VALUES (\(bind: key.id), \(bind: name), \(bind: role.rawValue), \(bind: key.prefix), \(bind: dealerID), \(bind: managerID),
                        \(bind: APIKeySecret.hash(secret)), \(bind: now))
                """
            ).run()
            var after: [String: JSONValue] = [
                "name": .string(name), "role": .string(role.rawValue), "prefix": .string(key.prefix),
            ]
            if let dealerID { after["dealer_id"] = .string(dealerID.lowercased) }
            if let managerID { after["manager_id"] = .string(managerID.lowercased) }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "apikey.create", entityType: "api_key", entityID: key.id.lowercased,
                    before: nil, after: .object(after)),
                at: now, on: sql)
            return IssuedAPIKey(key: key, secret: secret)
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT id, name, role, prefix, dealer_id, manager_id, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, name"
            ).all().map(Self.decodeAPIKey)
        }
    }

    /// Revokes a key by name or id; revoking a revoked key changes nothing.
    public func revokeAPIKey(_ nameOrID: String, by actor: Caller) async throws -> APIKey {
        let now = clock.now()
        let flavor = database.flavor
        defer { apiKeyCache.invalidate() }
        return try await writing { sql in
            let byID = UUID(uuidString: nameOrID)
            let condition: SQLQueryString = byID.map { "id = \(bind: $0)" } ?? "name = \(bind: nameOrID)"
            guard
                let key = try await sql.raw(
                    "SELECT id, name, role, prefix, dealer_id, manager_id, created_at, last_used_at, revoked_at FROM api_keys WHERE \(condition)"
                ).first().map(Self.decodeAPIKey)
            else {
                throw DomainError.notFound(entity: "api key", id: nameOrID)
            }
            guard key.isActive else { return key }
            try await sql.raw("UPDATE api_keys SET revoked_at = \(bind: now) WHERE id = \(bind: key.id)").run()
            // Every server's key cache hears of it at commit.
            if flavor == .postgres { try await sql.raw("SELECT pg_notify(\(bind: Self.apiKeysChannel), '')").run() }
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "apikey.revoke", entityType: "api_key", entityID: key.id.lowercased,
                    before: .object(["revoked": .bool(false)]), after: .object(["revoked": .bool(true)])),
                at: now, on: sql)
            var revoked = key
            revoked.revokedAt = now
            return revoked
        }
    }

    /// The active key whose secret this is, or nil. Looked up by hash, so the secret never reaches SQL;
    /// answered from `apiKeyCache` while it is trusted.
    public func authenticate(secret: String) async throws -> APIKey? {
        let hash = APIKeySecret.hash(secret)
        let now = clock.now()
        var key = apiKeyCache.key(forHash: hash, now: now)
        if key == nil {
            let generation = apiKeyCache.generation
            key = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT id, name, role, prefix, dealer_id, manager_id, created_at, last_used_at, revoked_at FROM api_keys
                    WHERE key_hash = \(bind: hash) AND revoked_at IS NULL
                    """
                ).first().map(Self.decodeAPIKey)
            }
            if let key { apiKeyCache.store(key, forHash: hash, readAt: generation, now: now) }
        }
        guard var key else { return nil }
        // `last_used_at` is for operators spotting dead keys: minute precision is plenty. The use is
        // noted and written later by `APIKeyUseWriter`, so a request never writes to say it came.
        if key.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            keyUses.note(key.id, at: now)
            key.lastUsedAt = now
            apiKeyCache.noteUse(key, forHash: hash)
        }
        return key
    }

    static func decodeAPIKey(_ row: any SQLRow) throws -> APIKey {
        APIKey(
            id: try row.decode(column: "id", as: UUID.self),
            name: try row.decode(column: "name", as: String.self),
            role: try row.enumeration("role", as: Role.self),
            prefix: try row.decode(column: "prefix", as: String.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID?.self),
            managerID: try row.decode(column: "manager_id", as: UUID?.self),
            createdAt: try row.instant("created_at"),
            lastUsedAt: try row.optionalInstant("last_used_at"),
            revokedAt: try row.optionalInstant("revoked_at"))
    }
}

/// How API key secrets are made and hashed.
enum APIKeySecret {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "dk_" + Base64URL.encode(Data(bytes))
    }

    static func hash(_ secret: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(secret.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
