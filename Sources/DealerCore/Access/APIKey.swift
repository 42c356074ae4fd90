import Foundation

/// A stored API key. The secret itself is never kept: only its SHA-256 hash (in the store) and a short
/// prefix that lets an operator tell keys apart in `apikey list`.
public struct APIKey: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var role: Role
    public var prefix: String
    /// The one dealer a `dealer` key belongs to; nil for every other role.
    public var dealerID: UUID?
    /// The manager a `manager` key speaks for, when bound: overrides need the head of sales.
    public var managerID: UUID?
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: UUID, name: String, role: Role, prefix: String, dealerID: UUID? = nil, managerID: UUID? = nil, createdAt: Date,
        lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.dealerID = dealerID
        self.managerID = managerID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isActive: Bool { revokedAt == nil }
}

/// Who is acting (named Caller, not Actor, which would shadow Swift's Actor protocol): the key's
/// name goes into the audit log as the actor.
public struct Caller: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// Set for a `dealer` key: the only dealer it may see or act for.
    public var dealerID: UUID?
    /// Set for a `manager` key bound to a manager: who the key speaks for.
    public var managerID: UUID?

    public init(name: String, role: Role, dealerID: UUID? = nil, managerID: UUID? = nil) {
        self.name = name
        self.role = role
        self.dealerID = dealerID
        self.managerID = managerID
    }

    /// The operator at the command line (key management, migrations).
    public static let cli = Caller(name: "cli", role: .admin)
}
