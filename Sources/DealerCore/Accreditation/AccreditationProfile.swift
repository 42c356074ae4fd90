import Foundation

/// The company's ideal-dealer profile: what an applicant is measured against, versioned so that
/// every accreditation says which version judged it.
public struct AccreditationProfile: Sendable, Equatable {
    public var name: String
    public var version: String
    public var title: String
    /// How long an accreditation under this profile lasts.
    public var validityMonths: Int
    /// The score an applicant needs (out of the sum of the weights).
    public var passMark: Decimal
    public var criteria: [ProfileCriterion]

    public var maxScore: Decimal { criteria.reduce(Decimal(0)) { $0 + $1.weight } }

    /// Every document kind a criterion requires, in the order the profile names them.
    public var requiredDocumentKinds: [String] {
        var kinds: [String] = []
        for case .documents(let listed) in criteria.map(\.rule) {
            for kind in listed where !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    /// How many months of payment history the profile looks at (nil: it does not).
    public var paymentHistoryMonths: Int? {
        criteria.compactMap { criterion -> Int? in
            if case .financialDiscipline(_, let months) = criterion.rule { return months }
            return nil
        }.max()
    }

    public init(name: String, version: String, title: String, validityMonths: Int, passMark: Decimal, criteria: [ProfileCriterion]) {
        self.name = name
        self.version = version
        self.title = title
        self.validityMonths = validityMonths
        self.passMark = passMark
        self.criteria = criteria
    }
}

/// One requirement of a profile.
public struct ProfileCriterion: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Points for meeting it.
    public var weight: Decimal
    /// Unmet, the applicant is rejected whatever the score; unknown, a person must look.
    public var knockOut: Bool
    public var rule: CriterionRule

    public init(id: String, title: String, weight: Decimal, knockOut: Bool, rule: CriterionRule) {
        self.id = id
        self.title = title
        self.weight = weight
        self.knockOut = knockOut
        self.rule = rule
    }
}

/// What a criterion tests.
public enum CriterionRule: Sendable, Equatable {
    /// A numeric attribute within bounds (either may be absent): showroom area ≥ 150 m².
    case threshold(attribute: String, min: Decimal?, max: Decimal?, unit: String?)
    /// A yes/no attribute that must be yes: own warehouse.
    case required(attribute: String)
    /// A fact (an attribute, or the card's region or segment) among allowed values: legal form.
    case oneOf(fact: String, values: [String])
    /// Documents that must be on file and not expired.
    case documents(kinds: [String])
    /// At most `max` accredited dealers per region (and segment): exclusivity when 1.
    case territoryCapacity(max: Int, perSegment: Bool)
    /// No debt overdue more than `maxOverdueDays` days in the last `months` months.
    case financialDiscipline(maxOverdueDays: Int, months: Int)

    /// The name a profile file uses for the kind.
    public var kind: String {
        switch self {
        case .threshold: "threshold"
        case .required: "required"
        case .oneOf: "one_of"
        case .documents: "documents"
        case .territoryCapacity: "territory_capacity"
        case .financialDiscipline: "financial_discipline"
        }
    }

    public static let kinds = ["threshold", "required", "one_of", "documents", "territory_capacity", "financial_discipline"]
}
