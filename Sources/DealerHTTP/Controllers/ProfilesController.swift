import DealerCore
import Foundation
import Hummingbird
import Logging

/// `/v1/profiles`: the ideal-dealer profiles in force, and reloading them from their files.
struct ProfilesController {
    let profiles: ProfileLibrary

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/profiles", .roles(.staff)) { _, _ in
                try JSONBody.response(ListResponse(items: profiles.profiles, nextCursor: nil))
            },
            APIRoute(.get, "/v1/profiles/{name}", .roles(.staff)) { _, context in
                let name = context.parameters.get("name") ?? ""
                guard let profile = profiles.profile(named: name) else { throw DomainError.notFound(entity: "profile", id: name) }
                return try JSONBody.response(profile)
            },
            // All or nothing: a broken file leaves the profiles in force as they were, and says why.
            APIRoute(.post, "/v1/profiles/reload", .roles([.admin])) { _, context in
                let reload = profiles.reload()
                let names = reload.profiles.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
                if let refusal = reload.refusal {
                    context.logger.error(
                        "profiles not reloaded; keeping those in force", metadata: ["in_force": .string(names), "reason": .string(refusal)])
                } else {
                    context.logger.notice("profiles reloaded", metadata: ["in_force": .string(names)])
                }
                let inForce = JSONValue.array(reload.profiles.map { .object(["name": .string($0.name), "version": .string($0.version)]) })
                if let refusal = reload.refusal {
                    throw Problem(
                        .unprocessableContent, code: "profiles_invalid", title: "The profiles were not reloaded",
                        detail: "the profiles in force are kept: \(refusal)", extensions: ["profiles": inForce])
                }
                return try JSONBody.response(JSONValue.object(["reloaded": .bool(true), "profiles": inForce]))
            },
        ]
    }
}

extension ProfileLibrary {
    /// The named profile, or a 422 naming the field and the profiles there are.
    func required(_ name: String?, field: String) throws -> AccreditationProfile {
        let names = profiles.map(\.name).joined(separator: ", ")
        guard let name = name?.trimmedNonEmpty else { throw ValidationError(field: field, "required: one of \(names)") }
        guard let profile = profile(named: name) else { throw ValidationError(field: field, "no profile \(name); profiles: \(names)") }
        return profile
    }
}
