import Foundation

/// Failures of the domain that are the caller's to fix; the HTTP edge maps each to a status.
public enum DomainError: Error, Sendable, Equatable {
    /// The named thing does not exist (`dealer`, `manager`, `api key`).
    case notFound(entity: String, id: String)
    /// A unique business key is already taken (a dealer code, a manager email).
    case conflict(field: String, message: String)
    /// A lifecycle move that the current state does not allow.
    case invalidTransition(from: String, to: String, allowed: [String])
    /// The caller's key may call the route, but not do this particular thing (an override by a
    /// manager who is not the head of sales).
    case forbidden(message: String)
    /// A move to accredited asked of the status route: only an accreditation decision (an evaluation
    /// that passes the profile, or the head of sales' override) accredits a dealer.
    case accreditationRequired(from: String)
}
