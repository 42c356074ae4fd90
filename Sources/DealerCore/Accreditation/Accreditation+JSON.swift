import Foundation

extension AccreditationEvaluation: Encodable {
    enum CodingKeys: String, CodingKey {
        case profile, decision, score, explanation, criteria
        case profileVersion = "profile_version"
        case passMark = "pass_mark"
        case maxScore = "max_score"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profile, forKey: .profile)
        try container.encode(profileVersion, forKey: .profileVersion)
        try container.encode(decision, forKey: .decision)
        try container.encode(score, forKey: .score)
        try container.encode(passMark, forKey: .passMark)
        try container.encode(maxScore, forKey: .maxScore)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(results, forKey: .criteria)
    }
}

extension AccreditationEvaluation.CriterionResult: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, kind, weight, outcome, required, seen, points
        case knockOut = "knock_out"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(kind, forKey: .kind)
        try container.encode(knockOut, forKey: .knockOut)
        try container.encode(weight, forKey: .weight)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(required, forKey: .required)
        try container.encode(seen, forKey: .seen)
        try container.encode(points, forKey: .points)
    }
}

extension AccreditationProfile: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, version, title, criteria
        case validityMonths = "validity_months"
        case passMark = "pass_mark"
        case maxScore = "max_score"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(title, forKey: .title)
        try container.encode(validityMonths, forKey: .validityMonths)
        try container.encode(passMark, forKey: .passMark)
        try container.encode(maxScore, forKey: .maxScore)
        try container.encode(criteria, forKey: .criteria)
    }
}

extension ProfileCriterion: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, title, weight, kind, attribute, min, max, unit, fact, values, kinds, months
        case knockOut = "knock_out"
        case perSegment = "per_segment"
        case maxOverdueDays = "max_overdue_days"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(weight, forKey: .weight)
        try container.encode(knockOut, forKey: .knockOut)
        try container.encode(rule.kind, forKey: .kind)
        switch rule {
        case .threshold(let attribute, let min, let max, let unit):
            try container.encode(attribute, forKey: .attribute)
            try container.encodeIfPresent(min, forKey: .min)
            try container.encodeIfPresent(max, forKey: .max)
            try container.encodeIfPresent(unit, forKey: .unit)
        case .required(let attribute):
            try container.encode(attribute, forKey: .attribute)
        case .oneOf(let fact, let values):
            try container.encode(fact, forKey: .fact)
            try container.encode(values, forKey: .values)
        case .documents(let kinds):
            try container.encode(kinds, forKey: .kinds)
        case .territoryCapacity(let max, let perSegment):
            try container.encode(max, forKey: .max)
            try container.encode(perSegment, forKey: .perSegment)
        case .financialDiscipline(let maxOverdueDays, let months):
            try container.encode(maxOverdueDays, forKey: .maxOverdueDays)
            try container.encode(months, forKey: .months)
        }
    }
}
