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

extension AccreditationFacts {
    /// The facts in the form `POST /v1/accreditation/evaluate` accepts, so a stored snapshot can be
    /// evaluated again as it was.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "attributes": .object(
                attributes.mapValues { value in
                    switch value {
                    case .number(let number): .number(number)
                    case .bool(let flag): .bool(flag)
                    case .string(let text): .string(text)
                    }
                })
        ]
        if let region { object["region"] = .string(region) }
        if let segment { object["segment"] = .string(segment) }
        if let documents {
            object["documents"] = .array(
                documents.sorted { $0.key < $1.key }.map { kind, expires in
                    .object(["kind": .string(kind), "expires": expires.map { .string($0.iso) } ?? .null])
                })
        }
        if let accreditedInRegion { object["accredited_in_region"] = .number(Decimal(accreditedInRegion)) }
        if let accreditedInRegionAndSegment { object["accredited_in_region_and_segment"] = .number(Decimal(accreditedInRegionAndSegment)) }
        if let maxOverdueDays { object["max_overdue_days"] = .number(Decimal(maxOverdueDays)) }
        return .object(object)
    }
}

extension AccreditationRecord: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, profile, decision, score, override, overridden, facts, evaluation
        case dealerID = "dealer_id"
        case profileVersion = "profile_version"
        case evaluatedDecision = "evaluated_decision"
        case passMark = "pass_mark"
        case requiredDocuments = "required_documents"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case validUntil = "valid_until"
        case statusBefore = "status_before"
        case statusAfter = "status_after"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(profile, forKey: .profile)
        try container.encode(profileVersion, forKey: .profileVersion)
        try container.encode(decision, forKey: .decision)
        try container.encode(evaluatedDecision, forKey: .evaluatedDecision)
        try container.encode(score, forKey: .score)
        try container.encode(passMark, forKey: .passMark)
        try container.encode(override != nil, forKey: .overridden)
        if let override {
            try container.encode(
                JSONValue.object(["decision": .string(override.decision.rawValue), "reason": .string(override.reason)]), forKey: .override)
        } else {
            try container.encodeNil(forKey: .override)
        }
        try container.encode(requiredDocuments, forKey: .requiredDocuments)
        try container.encode(decidedBy, forKey: .decidedBy)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(validUntil?.iso, forKey: .validUntil)
        try container.encode(statusBefore, forKey: .statusBefore)
        try container.encode(statusAfter, forKey: .statusAfter)
        try container.encode(facts, forKey: .facts)
        try container.encode(evaluation, forKey: .evaluation)
    }
}

extension ProfileCompliance.Figures: Encodable {
    enum CodingKeys: String, CodingKey {
        case accredited, overridden, funnel
        case metProfile = "met_profile"
        case compliancePercent = "compliance_percent"
    }

    enum FunnelKeys: String, CodingKey {
        case applied, accredited, rejected, pending
        case conversionPercent = "conversion_percent"
        case medianDays = "median_days_to_accreditation"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accredited, forKey: .accredited)
        try container.encode(metProfile, forKey: .metProfile)
        try container.encode(overridden, forKey: .overridden)
        try container.encode(compliancePercent, forKey: .compliancePercent)
        var funnel = container.nestedContainer(keyedBy: FunnelKeys.self, forKey: .funnel)
        try funnel.encode(applied, forKey: .applied)
        try funnel.encode(appliedAccredited, forKey: .accredited)
        try funnel.encode(appliedRejected, forKey: .rejected)
        try funnel.encode(appliedPending, forKey: .pending)
        try funnel.encode(conversionPercent, forKey: .conversionPercent)
        try funnel.encode(medianDaysToAccreditation, forKey: .medianDays)
    }
}
