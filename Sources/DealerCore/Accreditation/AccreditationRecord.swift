import Foundation

/// A decision on a dealer's accreditation as it was made — the profile version that judged it, the
/// facts it saw, the full evaluation, who decided and when — never changed afterwards.
public struct AccreditationRecord: Sendable, Equatable {
    public var id: UUID
    public var dealerID: UUID
    public var profile: String
    public var profileVersion: String
    /// What the profile said.
    public var evaluatedDecision: AccreditationEvaluation.Decision
    /// What was decided: the profile's verdict, or the head of sales' override.
    public var decision: AccreditationEvaluation.Decision
    public var score: Decimal
    public var passMark: Decimal
    public var override: AccreditationOverride?
    /// The facts as evaluated, in the form the evaluate endpoint accepts.
    public var facts: JSONValue
    /// The evaluation as served by the evaluate endpoint, criterion by criterion.
    public var evaluation: JSONValue
    /// The documents the profile required: their expiry is watched while the accreditation lasts.
    public var requiredDocuments: [String]
    public var decidedBy: String
    public var decidedAt: Date
    /// The last day the accreditation is valid (accredited decisions only).
    public var validUntil: CivilDate?
    public var statusBefore: DealerStatus
    public var statusAfter: DealerStatus

    public init(
        id: UUID, dealerID: UUID, profile: String, profileVersion: String, evaluatedDecision: AccreditationEvaluation.Decision,
        decision: AccreditationEvaluation.Decision, score: Decimal, passMark: Decimal, override: AccreditationOverride?, facts: JSONValue,
        evaluation: JSONValue, requiredDocuments: [String], decidedBy: String, decidedAt: Date, validUntil: CivilDate?,
        statusBefore: DealerStatus, statusAfter: DealerStatus
    ) {
        self.id = id
        self.dealerID = dealerID
        self.profile = profile
        self.profileVersion = profileVersion
        self.evaluatedDecision = evaluatedDecision
        self.decision = decision
        self.score = score
        self.passMark = passMark
        self.override = override
        self.facts = facts
        self.evaluation = evaluation
        self.requiredDocuments = requiredDocuments
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.validUntil = validUntil
        self.statusBefore = statusBefore
        self.statusAfter = statusAfter
    }
}

/// The head of sales deciding against (or in the absence of) the profile's verdict, with a reason.
public struct AccreditationOverride: Sendable, Equatable {
    public var decision: AccreditationEvaluation.Decision
    public var reason: String

    public init(decision: AccreditationEvaluation.Decision, reason: String) {
        self.decision = decision
        self.reason = reason
    }

    /// Checks an override as a client sends it: a final decision and a reason.
    public static func validate(decision: String?, reason: String?) throws(ValidationError) -> AccreditationOverride {
        var issues = ValidationCollector()
        let parsed = decision.flatMap(AccreditationEvaluation.Decision.init(rawValue:))
        if parsed == nil || parsed == .needsReview {
            issues.add("override.decision", "required: accredited or rejected")
        }
        let text = reason?.trimmedNonEmpty
        if let text {
            if text.count > 1000 { issues.add("override.reason", "at most 1000 characters") }
        } else {
            issues.add("override.reason", "an override needs a reason: it is kept in the record and the audit log")
        }
        try issues.check()
        guard let parsed, let text else { throw issues.unreachable("override.decision") }
        return AccreditationOverride(decision: parsed, reason: text)
    }
}

extension AccreditationEvaluation.Decision {
    /// Where the decision takes a dealer now in `status`; nil when a dealer in that status cannot be
    /// accredited at all (a prospect has not applied, a terminated dealer is gone).
    ///
    /// Accredited: an applicant or a suspended dealer becomes accredited, an accredited one is renewed.
    /// Rejected: an applicant goes back to prospect; an accredited or suspended dealer keeps its status
    /// (its current accreditation runs out on its own date). Needs review: nothing moves until a
    /// person decides.
    public func nextStatus(from status: DealerStatus) -> DealerStatus? {
        switch (status, self) {
        case (.prospect, _), (.terminated, _): nil
        case (_, .accredited): .accredited
        case (.applicant, .rejected): .prospect
        default: status
        }
    }

    /// The statuses an accreditation can be decided from.
    public static let decidableStatuses: [DealerStatus] = [.applicant, .accredited, .suspended]
}
