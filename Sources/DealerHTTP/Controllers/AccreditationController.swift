import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// The ideal-dealer profiles and evaluating an applicant against one.
struct AccreditationController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/profiles", .roles(.staff)) { _, _ in
                try JSONBody.response(ListResponse(items: settings.profiles, nextCursor: nil))
            },
            APIRoute(.get, "/v1/profiles/{name}", .roles(.staff)) { _, context in
                try JSONBody.response(try profile(named: context.parameters.get("name") ?? ""))
            },
            APIRoute(.post, "/v1/accreditation/evaluate", .roles(.salesStaff)) { request, _ in
                let body = try await JSONBody.decode(EvaluateRequest.self, from: request, limit: settings.maxBodyBytes)
                guard let name = body.profile?.trimmedNonEmpty else {
                    throw ValidationError(field: "profile", "required: one of \(settings.profiles.map(\.name).joined(separator: ", "))")
                }
                let profile = try profile(named: name, field: "profile")
                let facts: AccreditationFacts
                switch (body.dealerID, body.facts) {
                case (let id?, nil):
                    guard let dealerID = UUID(uuidString: id) else { throw ValidationError(field: "dealer_id", "expected a UUID") }
                    facts = try await store.accreditationFacts(dealerID: dealerID)
                case (nil, let document?):
                    facts = try AccreditationFacts(parsing: document)
                default:
                    throw ValidationError(field: "facts", "send either facts (for a prospect) or dealer_id (for a dealer on file), not both")
                }
                let today = CivilDate(store.clock.now(), in: settings.companyTimeZone)
                return try JSONBody.response(profile.evaluate(facts, today: today))
            },
        ]
    }

    func profile(named name: String, field: String? = nil) throws -> AccreditationProfile {
        guard let profile = settings.profiles.first(where: { $0.name == name }) else {
            if let field {
                throw ValidationError(field: field, "no profile \(name); profiles: \(settings.profiles.map(\.name).joined(separator: ", "))")
            }
            throw DomainError.notFound(entity: "profile", id: name)
        }
        return profile
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
