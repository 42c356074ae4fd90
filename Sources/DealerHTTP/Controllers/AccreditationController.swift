import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Evaluating an applicant against a profile, accrediting a dealer (with the head of sales'
/// override), its history, and the compliance KPI.
struct AccreditationController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/accreditation/evaluate", .roles(.salesStaff)) { request, _ in
                let body = try await JSONBody.decode(EvaluateRequest.self, from: request, limit: settings.maxBodyBytes)
                let profile = try settings.profiles.required(body.profile, field: "profile")
                let today = store.calendar.today
                let facts: AccreditationFacts
                switch (body.dealerID, body.facts) {
                case (let id?, nil):
                    guard let dealerID = UUID(uuidString: id) else { throw ValidationError(field: "dealer_id", "expected a UUID") }
                    facts = try await store.accreditationFacts(dealerID: dealerID, today: today, paymentHistoryMonths: profile.paymentHistoryMonths)
                case (nil, let document?):
                    facts = try AccreditationFacts(parsing: document)
                default:
                    throw ValidationError(field: "facts", "send either facts (for a prospect) or dealer_id (for a dealer on file), not both")
                }
                return try JSONBody.response(profile.evaluate(facts, today: today))
            },
            APIRoute(.post, "/v1/dealers/{id}/accreditations", .roles(.salesStaff)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(AccreditRequest.self, from: request, limit: settings.maxBodyBytes)
                let profile = try settings.profiles.required(body.profile, field: "profile")
                let override = try body.override.map { try AccreditationOverride.validate(decision: $0.decision, reason: $0.reason) }
                let record = try await store.accredit(
                    dealerID: dealerID, profile: profile, override: override, by: try context.caller,
                    companyTimeZone: store.calendar.timeZone)
                return try JSONBody.response(record, status: .created)
            },
            APIRoute(.get, "/v1/dealers/{id}/accreditations", .roles(.staff)) { request, context in
                let page = try await store.accreditations(
                    dealerID: try context.uuidParameter(entity: "dealer"), page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/kpi/profile-compliance", .roles([.admin, .manager, .viewer])) { request, context in
                let query = QueryParameters(request: request)
                let today = store.calendar.today
                // By default the year so far: the head of sales' usual question.
                let from = try query.date("from") ?? PlanPeriod(year: today.year, kind: .year).firstDay
                let to = try query.date("to") ?? today
                guard from <= to else { throw ValidationError(field: "to", "the period ends before it starts (from \(from.iso))") }
                guard to.days(since: from) <= 3660 else { throw ValidationError(field: "to", "a period of at most ten years") }
                let report = try await store.profileCompliance(
                    from: from, to: to, groupBy: try query.oneOf("group_by", ComplianceGrouping.self) ?? .none,
                    companyTimeZone: store.calendar.timeZone, visibility: context.visibility)
                return try JSONBody.response(report)
            },
        ]
    }
}

struct EvaluateRequest: Decodable {
    var profile: String?
    var dealerID: String?
    var facts: JSONValue?

    enum CodingKeys: String, CodingKey {
        case profile, facts
        case dealerID = "dealer_id"
    }
}

struct AccreditRequest: Decodable {
    struct Override: Decodable {
        var decision: String?
        var reason: String?
    }

    var profile: String?
    var override: Override?
}
