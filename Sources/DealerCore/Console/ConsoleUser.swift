import Foundation

/// A person who signs in to the console: the company's own staff with a role like the API's, or a
/// dealer's employee bound to that one dealer. API keys stay for machines.
public struct ConsoleUser: Sendable, Equatable, Codable {
    public var id: UUID
    /// Lower-cased; the sign-in name.
    public var email: String
    public var name: String
    public var role: Role
    /// A manager's account speaks for its manager record (its dealers, its scorecard).
    public var managerID: UUID?
    /// A dealer user's one dealer: it sees nothing of any other.
    public var dealerID: UUID?
    public var active: Bool
    /// False until the person has set a password from the link they were sent.
    public var hasPassword: Bool
    public var createdAt: Date

    public init(
        id: UUID, email: String, name: String, role: Role, managerID: UUID?, dealerID: UUID?, active: Bool, hasPassword: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.managerID = managerID
        self.dealerID = dealerID
        self.active = active
        self.hasPassword = hasPassword
        self.createdAt = createdAt
    }

    /// Who the rules and the audit trail see: the person by e-mail, never "console".
    public var caller: Caller { Caller(name: email, role: role, dealerID: dealerID, managerID: managerID) }
}

/// A new account as the CLI or an admin asks for it; the dealer and manager are named by code or
/// e-mail and resolved by the store.
public struct ConsoleUserDraft: Sendable, Equatable {
    public var email: String
    public var name: String
    public var role: Role
    public var manager: String?
    public var dealer: DealerReference?

    public init(email: String, name: String, role: Role, manager: String? = nil, dealer: DealerReference? = nil) {
        self.email = email
        self.name = name
        self.role = role
        self.manager = manager
        self.dealer = dealer
    }

    /// Every problem at once, by field: a dealer user names its dealer and nothing else may; a
    /// manager names the manager record it speaks for; integrations are machines and get keys.
    public func checked() throws -> ConsoleUserDraft {
        var issues = ValidationCollector()
        var draft = self
        draft.email = email.trimmingCharacters(in: .whitespaces).lowercased()
        draft.name = name.trimmingCharacters(in: .whitespaces)
        if !EmailAddress.isPlausible(draft.email) { issues.add("email", "expected an e-mail address such as anna@example.ru") }
        if draft.name.isEmpty || draft.name.count > 100 { issues.add("name", "a name of 1 to 100 characters") }
        switch role {
        case .integration: issues.add("role", "an integration is a machine: give it an API key, not an account")
        case .dealer where dealer == nil: issues.add("dealer", "a dealer user belongs to one dealer: name it by code or id")
        case .manager where manager == nil: issues.add("manager", "a manager's account speaks for a manager: name it by e-mail or id")
        default: break
        }
        if role != .dealer && dealer != nil { issues.add("dealer", "only a dealer user is bound to a dealer") }
        if role != .manager && manager != nil { issues.add("manager", "only a manager's account speaks for a manager") }
        try issues.check()
        return draft
    }
}

/// The shape of an e-mail address, checked loosely: one @, a dotted domain, no spaces or controls.
public enum EmailAddress {
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0 == "<" || $0 == ">" || $0 == "\"" }
    }
}
