import Foundation

/// One change, who made it, and what the thing looked like before and after.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var at: Date
    /// The API key's name (or `cli`).
    public var actor: String
    /// `dealer.create`, `dealer.update`, `dealer.status_change`, `apikey.revoke`, …
    public var action: String
    public var entityType: String
    public var entityID: String
    public var before: JSONValue?
    public var after: JSONValue?

    public init(
        sequence: Int64, at: Date, actor: String, action: String, entityType: String, entityID: String,
        before: JSONValue?, after: JSONValue?
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
    }
}

/// An audit record about to be written, before the store gives it a sequence.
public struct AuditRecord: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var entityType: String
    public var entityID: String
    public var before: JSONValue?
    public var after: JSONValue?

    public init(actor: String, action: String, entityType: String, entityID: String, before: JSONValue?, after: JSONValue?) {
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
    }
}
