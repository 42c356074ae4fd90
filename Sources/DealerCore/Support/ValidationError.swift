import Foundation

/// One field that failed validation, named by its JSON path (`contacts[0].email`).
public struct FieldIssue: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Content that cannot be accepted as sent; every bad field is listed, not just the first.
public struct ValidationError: Error, Sendable, Equatable {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public init(field: String, _ message: String) {
        self.issues = [FieldIssue(field: field, message: message)]
    }
}

/// Collects field issues while a whole document is checked, so a client sees every problem at once.
public struct ValidationCollector: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        issues.append(FieldIssue(field: field, message: message))
    }

    public mutating func merge(_ error: ValidationError) {
        issues.append(contentsOf: error.issues)
    }

    /// Throws the collected issues, if any.
    public func check() throws(ValidationError) {
        if !issues.isEmpty { throw ValidationError(issues) }
    }

    /// For the `guard let` after `check()`: a value the rules left unset although they reported no
    /// issue. Never reached while the rules are right; should one be wrong, the caller gets a 422
    /// naming a field instead of the process stopping on a force-unwrap.
    public func unreachable(_ field: String) -> ValidationError {
        ValidationError(field: field, "required")
    }
}
