import Foundation

/// `accreditation.decided`: a decision against the ideal-dealer profile, the profile's own verdict
/// beside it when the head of sales overrode it.
public struct AccreditationDecided: EventPayload {
    public var accreditationID: UUID
    public var dealerID: UUID
    public var code: String
    public var profile: String
    public var profileVersion: String
    public var decision: AccreditationEvaluation.Decision
    public var evaluatedDecision: AccreditationEvaluation.Decision
    public var score: Decimal
    public var passMark: Decimal
    public var overridden: Bool
    public var overrideReason: String?
    /// The last day the accreditation holds (accredited decisions only).
    public var validUntil: CivilDate?
    public var decidedBy: String

    public init(record: AccreditationRecord, code: String) {
        accreditationID = record.id
        dealerID = record.dealerID
        self.code = code
        profile = record.profile
        profileVersion = record.profileVersion
        decision = record.decision
        evaluatedDecision = record.evaluatedDecision
        score = record.score
        passMark = record.passMark
        overridden = record.override != nil
        overrideReason = record.override?.reason
        validUntil = record.validUntil
        decidedBy = record.decidedBy
    }
}

/// `accreditation.expiring` and `accreditation.expired`: an accreditation, or a document it needs,
/// nears or reaches its last valid day.
public struct ExpiryNotice: EventPayload {
    public enum Subject: String, Sendable, Codable {
        case accreditation, document
    }

    /// What the expiry did (`accreditation.expired` only).
    public enum Action: String, Sendable, Codable {
        case suspended, alerted
    }

    public var subject: Subject
    public var dealerID: UUID
    public var code: String
    public var accreditationID: UUID
    /// The accreditation's profile (subject `accreditation`).
    public var profile: String?
    public var profileVersion: String?
    public var validUntil: CivilDate?
    /// The document (subject `document`).
    public var documentID: UUID?
    public var kind: String?
    public var expires: CivilDate?
    public var daysLeft: Int
    /// The reminder threshold reached (`accreditation.expiring` only).
    public var thresholdDays: Int?
    public var action: Action?

    public init(
        subject: Subject, dealerID: UUID, code: String, accreditationID: UUID, profile: String? = nil, profileVersion: String? = nil,
        validUntil: CivilDate? = nil, documentID: UUID? = nil, kind: String? = nil, expires: CivilDate? = nil, daysLeft: Int,
        thresholdDays: Int? = nil, action: Action? = nil
    ) {
        self.subject = subject
        self.dealerID = dealerID
        self.code = code
        self.accreditationID = accreditationID
        self.profile = profile
        self.profileVersion = profileVersion
        self.validUntil = validUntil
        self.documentID = documentID
        self.kind = kind
        self.expires = expires
        self.daysLeft = daysLeft
        self.thresholdDays = thresholdDays
        self.action = action
    }
}
