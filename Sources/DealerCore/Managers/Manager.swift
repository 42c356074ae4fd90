import Foundation

/// The manager's job in the sales department; KPIs differ by it.
public enum SalesRole: String, Sendable, Codable, CaseIterable {
    /// Finds and accredits new dealers (менеджер по новым клиентам).
    case newClients = "new_clients"
    /// Looks after current dealers: rhythm, plans, receivables (менеджер по действующим клиентам).
    case existingClients = "existing_clients"
    /// Call centre.
    case call
    /// Service specialist: reconciliation acts, documents.
    case service
    /// Head of sales (РОП).
    case head
}

/// An account manager or the head of sales.
public struct Manager: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    public var email: String
    public var role: SalesRole
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, name: String, email: String, role: SalesRole, active: Bool = true, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, role, active
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(role, forKey: .role)
        try container.encode(active, forKey: .active)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What a client sends to create a manager.
public struct ManagerDraft: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var role: SalesRole?
    public var active: Bool?

    public init(name: String? = nil, email: String? = nil, role: SalesRole? = nil, active: Bool? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.active = active
    }

    public func validated(id: UUID, now: Date) throws(ValidationError) -> Manager {
        var issues = ValidationCollector()
        let name = ManagerRules.name(name, into: &issues)
        let email = ManagerRules.email(email, into: &issues)
        if role == nil {
            issues.add("role", "required: one of \(SalesRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try issues.check()
        guard let name, let email, let role else { throw issues.unreachable("name") }
        return Manager(id: id, name: name, email: email, role: role, active: active ?? true, createdAt: now, updatedAt: now)
    }
}

/// A partial update of a manager.
public struct ManagerPatch: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var role: SalesRole?
    public var active: Bool?

    public init(name: String? = nil, email: String? = nil, role: SalesRole? = nil, active: Bool? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.active = active
    }

    public func applied(to manager: Manager, now: Date) throws(ValidationError) -> Manager {
        var issues = ValidationCollector()
        var result = manager
        if let name { result.name = ManagerRules.name(name, into: &issues) ?? manager.name }
        if let email { result.email = ManagerRules.email(email, into: &issues) ?? manager.email }
        if let role { result.role = role }
        if let active { result.active = active }
        try issues.check()
        if result != manager { result.updatedAt = now }
        return result
    }
}

enum ManagerRules {
    static func name(_ raw: String?, into issues: inout ValidationCollector) -> String? {
        guard let name = raw?.trimmedNonEmpty else {
            issues.add("name", "required and not blank")
            return nil
        }
        if name.count > 200 { issues.add("name", "at most 200 characters") }
        return name
    }

    /// E-mail addresses are compared without case: they identify the manager.
    static func email(_ raw: String?, into issues: inout ValidationCollector) -> String? {
        guard let email = raw?.trimmedNonEmpty?.lowercased() else {
            issues.add("email", "required")
            return nil
        }
        if !email.looksLikeEmail || email.count > 254 { issues.add("email", "not an e-mail address") }
        return email
    }
}
