import Foundation

/// The outcome of measuring an applicant against a profile, criterion by criterion.
public struct AccreditationEvaluation: Sendable, Equatable {
    public enum Decision: String, Sendable, Codable, CaseIterable {
        case accredited
        case rejected
        /// A knock-out criterion had no data, or missing data could change the outcome: a person decides.
        case needsReview = "needs_review"
    }

    public enum Outcome: String, Sendable, Codable {
        case met
        case unmet
        case noData = "no_data"
    }

    public struct CriterionResult: Sendable, Equatable {
        public var id: String
        public var title: String
        public var kind: String
        public var knockOut: Bool
        public var weight: Decimal
        public var outcome: Outcome
        /// What the requirement is, in words: "≥ 150 м²".
        public var required: String
        /// What was seen, in words (nil: nothing).
        public var seen: String?
        public var points: Decimal
    }

    public var profile: String
    public var profileVersion: String
    public var decision: Decision
    public var score: Decimal
    public var passMark: Decimal
    public var maxScore: Decimal
    public var results: [CriterionResult]
    /// Why the decision is what it is, in words.
    public var explanation: String
}

extension AccreditationProfile {
    /// Measures the facts against every criterion, on `today` (documents expire).
    public func evaluate(_ facts: AccreditationFacts, today: CivilDate) -> AccreditationEvaluation {
        let results = criteria.map { criterion in
            let (outcome, required, seen) = criterion.rule.check(facts, today: today)
            return AccreditationEvaluation.CriterionResult(
                id: criterion.id, title: criterion.title, kind: criterion.rule.kind, knockOut: criterion.knockOut, weight: criterion.weight,
                outcome: outcome, required: required, seen: seen, points: outcome == .met ? criterion.weight : 0)
        }
        let score = results.reduce(Decimal(0)) { $0 + $1.points }
        let unknownWeight = results.filter { $0.outcome == .noData }.reduce(Decimal(0)) { $0 + $1.weight }
        let decision: AccreditationEvaluation.Decision
        let explanation: String
        if let failed = results.first(where: { $0.knockOut && $0.outcome == .unmet }) {
            decision = .rejected
            explanation = "knock-out criterion \(failed.id) is not met"
        } else if let unknown = results.first(where: { $0.knockOut && $0.outcome == .noData }) {
            decision = .needsReview
            explanation = "no data for knock-out criterion \(unknown.id)"
        } else if score >= passMark {
            decision = .accredited
            explanation = "score \(score) reaches the pass mark \(passMark)"
        } else if score + unknownWeight >= passMark {
            decision = .needsReview
            explanation = "score \(score) is under the pass mark \(passMark), but criteria without data weigh \(unknownWeight)"
        } else {
            decision = .rejected
            explanation = "score \(score) is under the pass mark \(passMark)"
        }
        return AccreditationEvaluation(
            profile: name, profileVersion: version, decision: decision, score: score, passMark: passMark, maxScore: maxScore,
            results: results, explanation: explanation)
    }
}

extension CriterionRule {
    /// The outcome, the requirement in words and what was seen.
    func check(_ facts: AccreditationFacts, today: CivilDate) -> (AccreditationEvaluation.Outcome, String, String?) {
        switch self {
        case .threshold(let attribute, let min, let max, let unit):
            let suffix = unit.map { " " + $0 } ?? ""
            let required = [min.map { "≥ \($0)\(suffix)" }, max.map { "≤ \($0)\(suffix)" }].compactMap { $0 }.joined(separator: " and ")
            guard let value = facts.attributes[attribute] else { return (.noData, required, nil) }
            guard case .number(let number) = value else { return (.noData, required, "\(value.text) (not a number)") }
            let met = (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
            return (met ? .met : .unmet, required, "\(number)\(suffix)")
        case .required(let attribute):
            guard let value = facts.attributes[attribute] else { return (.noData, "yes", nil) }
            guard case .bool(let flag) = value else { return (.noData, "yes", "\(value.text) (not yes or no)") }
            return (flag ? .met : .unmet, "yes", flag ? "yes" : "no")
        case .oneOf(let fact, let values):
            let required = "one of " + values.joined(separator: ", ")
            guard let value = facts.fact(fact) else { return (.noData, required, nil) }
            let seen = value.text
            let normalised = seen.trimmingCharacters(in: .whitespaces).lowercased()
            return (values.contains { $0.lowercased() == normalised } ? .met : .unmet, required, seen)
        case .documents(let kinds):
            let required = kinds.joined(separator: ", ") + ", not expired"
            guard let documents = facts.documents else { return (.noData, required, nil) }
            var missing: [String] = []
            var expired: [String] = []
            for kind in kinds {
                guard let entry = documents[kind] else {
                    missing.append(kind)
                    continue
                }
                if let expires = entry, expires < today { expired.append("\(kind) (expired \(expires.iso))") }
            }
            if missing.isEmpty && expired.isEmpty { return (.met, required, "all on file") }
            let seen = (missing.isEmpty ? [] : ["missing " + missing.joined(separator: ", ")]) + expired
            return (.unmet, required, seen.joined(separator: "; "))
        case .territoryCapacity(let max, let perSegment):
            let required = "at most \(max) accredited per region\(perSegment ? " and segment" : "")"
            guard let count = perSegment ? facts.accreditedInRegionAndSegment : facts.accreditedInRegion else { return (.noData, required, nil) }
            let place = [facts.region, perSegment ? facts.segment : nil].compactMap { $0 }.joined(separator: ", ")
            return (count < max ? .met : .unmet, required, "\(count) accredited already\(place.isEmpty ? "" : " in \(place)")")
        case .financialDiscipline(let maxOverdueDays, let months):
            let required = "nothing overdue more than \(maxOverdueDays) days in \(months) months"
            guard let days = facts.maxOverdueDays else { return (.noData, required, nil) }
            return (days <= maxOverdueDays ? .met : .unmet, required, "\(days) days at most")
        }
    }
}

extension AttributeValue {
    /// As a person reads it.
    public var text: String {
        switch self {
        case .number(let value): "\(value)"
        case .bool(let value): value ? "yes" : "no"
        case .string(let value): value
        }
    }
}
