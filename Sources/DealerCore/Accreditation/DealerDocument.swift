import Foundation

/// A document on a dealer's file (metadata only: the paper stays where it is): a registration
/// extract, a bank reference, the signed dealer agreement. Profiles require kinds, not yet expired.
public struct DealerDocument: Sendable, Equatable {
    public var id: UUID
    public var dealerID: UUID
    /// A stable identifier profiles name: `registration_extract`.
    public var kind: String
    public var number: String?
    public var issued: CivilDate?
    /// Nil: does not expire.
    public var expires: CivilDate?
    public var note: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, dealerID: UUID, kind: String, number: String?, issued: CivilDate?, expires: CivilDate?, note: String?, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.dealerID = dealerID
        self.kind = kind
        self.number = number
        self.issued = issued
        self.expires = expires
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A document as a manager enters it, before it is checked.
public struct DealerDocumentDraft: Sendable, Equatable {
    public var kind: String?
    public var number: String?
    public var issued: String?
    public var expires: String?
    public var note: String?

    public init(kind: String? = nil, number: String? = nil, issued: String? = nil, expires: String? = nil, note: String? = nil) {
        self.kind = kind
        self.number = number
        self.issued = issued
        self.expires = expires
        self.note = note
    }

    public func validated(id: UUID, dealerID: UUID, createdAt: Date, now: Date) throws(ValidationError) -> DealerDocument {
        var issues = ValidationCollector()
        let kind = kind?.trimmedNonEmpty
        if let kind {
            if !Attributes.isValidName(kind) { issues.add("kind", "lower-case letters, digits and _, as profiles name it: registration_extract") }
        } else {
            issues.add("kind", "required, e.g. registration_extract, bank_reference, dealer_agreement")
        }
        let number = DealerRules.optionalText(number, field: "number", max: 100, into: &issues)
        let note = DealerRules.optionalText(note, field: "note", max: 2000, into: &issues)
        func date(_ text: String?, _ field: String) -> CivilDate? {
            guard let text = text?.trimmedNonEmpty else { return nil }
            guard let date = CivilDate(parsing: text) else {
                issues.add(field, "a date such as 2027-06-30 or 30.06.2027")
                return nil
            }
            return date
        }
        let issued = date(issued, "issued")
        let expires = date(expires, "expires")
        if let issued, let expires, expires < issued { issues.add("expires", "before the issue date") }
        try issues.check()
        guard let kind else { throw issues.unreachable("kind") }
        return DealerDocument(
            id: id, dealerID: dealerID, kind: kind, number: number, issued: issued, expires: expires, note: note, createdAt: createdAt,
            updatedAt: now)
    }
}

extension DealerDocument: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, kind, number, issued, expires, note
        case dealerID = "dealer_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(kind, forKey: .kind)
        try container.encode(number, forKey: .number)
        try container.encode(issued?.iso, forKey: .issued)
        try container.encode(expires?.iso, forKey: .expires)
        try container.encode(note, forKey: .note)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

extension [DealerDocument] {
    /// Kind → expiry for an evaluation: of several documents of a kind, the one valid longest counts
    /// (one that never expires beats any date).
    public var byKind: [String: CivilDate?] {
        var kinds: [String: CivilDate?] = [:]
        for document in self {
            if let known = kinds[document.kind] {
                guard let knownExpiry = known else { continue }
                kinds[document.kind] = document.expires.map { Swift.max($0, knownExpiry) } ?? .some(nil)
            } else {
                kinds[document.kind] = .some(document.expires)
            }
        }
        return kinds
    }
}
