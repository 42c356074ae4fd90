import DealerCore
import Foundation
import Testing

@Suite("Evaluating applicants against a profile")
struct AccreditationTests {
    let today = CivilDate(year: 2026, month: 11, day: 25)!

    static func profile(_ json: String, file: String = "test.yaml") throws -> AccreditationProfile {
        try AccreditationProfile(parsing: try DealerJSON.decoder().decode(JSONValue.self, from: Data(json.utf8)), file: file)
    }

    /// One criterion of each kind; the pass mark is 60 of 100.
    static let sample = """
        {"name": "standard", "version": "2026.1", "validity_months": 12, "pass_mark": 60, "criteria": [
          {"id": "showroom", "title": "Шоурум ≥ 150 м²", "kind": "threshold", "attribute": "showroom_area_m2", "min": 150, "max": 5000, "unit": "м²", "weight": 20},
          {"id": "warehouse", "title": "Склад", "kind": "required", "attribute": "own_warehouse", "weight": 10},
          {"id": "legal_form", "title": "ООО/АО/ИП", "kind": "one_of", "fact": "legal_form", "values": ["ООО", "АО", "ИП"], "weight": 10, "knock_out": true},
          {"id": "region", "title": "Регион", "kind": "one_of", "fact": "region", "values": ["Москва", "Тверь"], "weight": 10},
          {"id": "documents", "title": "Документы", "kind": "documents", "kinds": ["registration_extract", "bank_reference"], "weight": 20},
          {"id": "territory", "title": "Не больше 2 в регионе и сегменте", "kind": "territory_capacity", "max": 2, "per_segment": true, "weight": 15},
          {"id": "discipline", "title": "Без просрочки > 30 дней", "kind": "financial_discipline", "max_overdue_days": 30, "months": 12, "weight": 15}
        ]}
        """

    func outcome(_ id: String, _ facts: AccreditationFacts) throws -> AccreditationEvaluation.CriterionResult {
        try #require(try Self.profile(Self.sample).evaluate(facts, today: today).results.first { $0.id == id })
    }

    @Test
    func thresholdsAreInclusiveAndMissingOrWrongDataIsReported() throws {
        #expect(try outcome("showroom", .init(attributes: ["showroom_area_m2": .number(150)])).outcome == .met, "exactly at the minimum")
        #expect(try outcome("showroom", .init(attributes: ["showroom_area_m2": .number(Decimal(string: "149.99")!)])).outcome == .unmet)
        #expect(try outcome("showroom", .init(attributes: ["showroom_area_m2": .number(5000)])).outcome == .met, "exactly at the maximum")
        #expect(try outcome("showroom", .init(attributes: ["showroom_area_m2": .number(5001)])).outcome == .unmet)
        let missing = try outcome("showroom", .init())
        #expect(missing.outcome == .noData && missing.seen == nil && missing.points == 0)
        let text = try outcome("showroom", .init(attributes: ["showroom_area_m2": .string("большой")]))
        #expect(text.outcome == .noData && text.seen == "большой (not a number)")
        let met = try outcome("showroom", .init(attributes: ["showroom_area_m2": .number(180)]))
        #expect(met.required == "≥ 150 м² and ≤ 5000 м²" && met.seen == "180 м²" && met.points == 20)
    }

    @Test
    func requiredFlagsOneOfValuesAndTheCardsRegion() throws {
        #expect(try outcome("warehouse", .init(attributes: ["own_warehouse": .bool(true)])).outcome == .met)
        #expect(try outcome("warehouse", .init(attributes: ["own_warehouse": .bool(false)])).outcome == .unmet)
        #expect(try outcome("warehouse", .init()).outcome == .noData)
        #expect(try outcome("warehouse", .init(attributes: ["own_warehouse": .string("да")])).outcome == .noData)
        #expect(try outcome("legal_form", .init(attributes: ["legal_form": .string(" ооо ")])).outcome == .met, "case and spaces do not matter")
        #expect(try outcome("legal_form", .init(attributes: ["legal_form": .string("ПАО")])).outcome == .unmet)
        #expect(try outcome("region", .init(region: "Тверь")).outcome == .met)
        #expect(try outcome("region", .init(region: "Казань")).outcome == .unmet)
    }

    @Test
    func documentsMustBeOnFileAndNotExpired() throws {
        let valid: [String: CivilDate?] = ["registration_extract": today, "bank_reference": nil]
        #expect(try outcome("documents", .init(documents: valid)).outcome == .met, "expiring today is still valid")
        let expired = try outcome("documents", .init(documents: ["registration_extract": today.adding(days: -1), "bank_reference": nil]))
        #expect(expired.outcome == .unmet && expired.seen == "registration_extract (expired 2026-11-24)")
        let missing = try outcome("documents", .init(documents: ["bank_reference": nil]))
        #expect(missing.outcome == .unmet && missing.seen == "missing registration_extract")
        #expect(try outcome("documents", .init()).outcome == .noData, "nothing known of documents is not the same as none")
    }

    @Test
    func territoryAndPaymentDiscipline() throws {
        #expect(try outcome("territory", .init(accreditedInRegion: 5, accreditedInRegionAndSegment: 1)).outcome == .met, "per segment")
        #expect(try outcome("territory", .init(accreditedInRegionAndSegment: 2)).outcome == .unmet, "the third would exceed 2")
        #expect(try outcome("territory", .init(accreditedInRegion: 0)).outcome == .noData)
        #expect(try outcome("discipline", .init(maxOverdueDays: 30)).outcome == .met)
        #expect(try outcome("discipline", .init(maxOverdueDays: 31)).outcome == .unmet)
        #expect(try outcome("discipline", .init()).outcome == .noData)
    }

    @Test
    func theDecisionWeighsKnockOutsScoreAndMissingData() throws {
        let profile = try Self.profile(Self.sample)
        let strong = AccreditationFacts(
            attributes: ["showroom_area_m2": .number(200), "own_warehouse": .bool(true), "legal_form": .string("ООО")], region: "Москва",
            documents: ["registration_extract": nil, "bank_reference": nil], accreditedInRegionAndSegment: 0, maxOverdueDays: 0)
        let best = profile.evaluate(strong, today: today)
        #expect(best.decision == .accredited && best.score == 100 && best.maxScore == 100)

        var knockedOut = strong
        knockedOut.attributes["legal_form"] = .string("ПАО")
        let rejected = profile.evaluate(knockedOut, today: today)
        #expect(rejected.decision == .rejected && rejected.score == 90 && rejected.explanation == "knock-out criterion legal_form is not met")

        var unknownKnockOut = strong
        unknownKnockOut.attributes["legal_form"] = nil
        #expect(profile.evaluate(unknownKnockOut, today: today).decision == .needsReview)

        // 50 points met, 15 unknown: the missing data could lift it over 60.
        let partial = AccreditationFacts(
            attributes: ["showroom_area_m2": .number(200), "legal_form": .string("АО"), "own_warehouse": .bool(false)], region: "Казань",
            documents: ["registration_extract": nil, "bank_reference": nil], accreditedInRegionAndSegment: 0)
        let review = profile.evaluate(partial, today: today)
        #expect(review.score == 65 && review.decision == .accredited)
        var weaker = partial
        weaker.accreditedInRegionAndSegment = 2
        let undecided = profile.evaluate(weaker, today: today)
        #expect(undecided.score == 50 && undecided.decision == .needsReview)
        weaker.maxOverdueDays = 90
        #expect(profile.evaluate(weaker, today: today).decision == .rejected)
    }

    @Test
    func badProfilesNameTheFileAndTheCriterion() throws {
        func problems(_ json: String) -> String {
            do {
                _ = try Self.profile(json, file: "Config/profiles/bad.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        let base = #""name": "bad", "version": "1", "pass_mark": 10"#
        let unknown = problems(#"{\#(base), "criteria": [{"id": "a", "title": "A", "kind": "vibes", "weight": 10}]}"#)
        #expect(unknown.hasPrefix("Config/profiles/bad.yaml: ") && unknown.contains("criterion a: unknown kind vibes"))
        let negative = problems(#"{\#(base), "criteria": [{"id": "a", "title": "A", "kind": "required", "attribute": "x", "weight": -5}]}"#)
        #expect(negative.contains("criterion a: weight must not be negative"))
        let duplicate = problems(
            #"{\#(base), "criteria": [{"id": "a", "title": "A", "kind": "required", "attribute": "x", "weight": 5}, {"id": "a", "title": "B", "kind": "required", "attribute": "y", "weight": 5}]}"#
        )
        #expect(duplicate.contains("criterion a: duplicate criterion id"))
        let tooHigh = problems(
            #"{"name": "bad", "version": "1", "pass_mark": 50, "criteria": [{"id": "a", "title": "A", "kind": "required", "attribute": "x", "weight": 40}]}"#
        )
        #expect(tooHigh.contains("pass_mark 50 is above the maximum score 40"))
        let wrongType = problems(
            #"{\#(base), "criteria": [{"id": "area", "title": "A", "kind": "threshold", "attribute": "x", "min": "много", "weight": 20}]}"#)
        #expect(wrongType.contains("criterion area: min must be a number"))
        #expect(try Self.profile(Self.sample).maxScore == 100)
    }

    @Test
    func factsAreReadFromJSONWithEveryBadFieldNamed() throws {
        let facts = try AccreditationFacts(
            parsing: try DealerJSON.decoder().decode(
                JSONValue.self,
                from: Data(
                    #"{"attributes": {"showroom_area_m2": 180, "own_warehouse": true, "legal_form": "ООО"}, "region": "Москва", "documents": [{"kind": "bank_reference", "expires": "30.06.2027"}, {"kind": "dealer_agreement"}], "accredited_in_region": 1}"#
                        .utf8)))
        #expect(facts.attributes["showroom_area_m2"] == .number(180) && facts.region == "Москва" && facts.accreditedInRegion == 1)
        #expect(facts.documents?["bank_reference"] == .some(CivilDate(year: 2027, month: 6, day: 30)))
        #expect(facts.documents?["dealer_agreement"] == .some(nil))
        #expect(throws: ValidationError.self) {
            try AccreditationFacts(
                parsing: try DealerJSON.decoder().decode(
                    JSONValue.self, from: Data(#"{"documents": [{"kind": "x", "expires": "скоро"}], "max_overdue_days": -1}"#.utf8)))
        }
    }

    @Test
    func ofSeveralDocumentsOfAKindTheLongestValidCounts() throws {
        let dealer = UUID()
        func document(_ kind: String, _ expires: String?) throws -> DealerDocument {
            try DealerDocumentDraft(kind: kind, expires: expires).validated(id: UUID(), dealerID: dealer, createdAt: Date(), now: Date())
        }
        let files = [
            try document("bank_reference", "2026-01-01"), try document("bank_reference", "2027-01-01"), try document("bank_reference", "2026-06-01"),
            try document("dealer_agreement", "2027-01-01"), try document("dealer_agreement", nil), try document("dealer_agreement", "2028-01-01"),
        ]
        #expect(files.byKind["bank_reference"] == .some(CivilDate(year: 2027, month: 1, day: 1)))
        #expect(files.byKind["dealer_agreement"] == .some(nil), "one that never expires beats any date")
        #expect(throws: ValidationError.self) {
            try DealerDocumentDraft(kind: "bank reference").validated(id: UUID(), dealerID: dealer, createdAt: Date(), now: Date())
        }
    }
}
