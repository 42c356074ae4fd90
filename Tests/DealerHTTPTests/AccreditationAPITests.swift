import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Accreditation profiles and evaluation through the API")
struct AccreditationAPITests {
    static let prospect = #"""
        {"attributes": {"showroom_area_m2": 150, "sales_staff": 3, "years_in_business": 2, "annual_turnover_rub": 30000000.00,
                        "own_warehouse": true, "legal_form": "ИП"},
         "region": "Тверь", "segment": "cars",
         "documents": [{"kind": "registration_extract", "expires": "2099-01-01"}, {"kind": "bank_reference"}, {"kind": "dealer_agreement"}],
         "accredited_in_region_and_segment": 3}
        """#

    @Test
    func theShippedProfilesLoad() async throws {
        let config = try await ConfigLoader.load(path: nil, environment: [:])
        #expect(config.profiles.map(\.name).sorted() == ["premium", "standard"])
        for profile in config.profiles {
            #expect(profile.maxScore == 100 && profile.passMark <= profile.maxScore)
            #expect(profile.criteria.contains { $0.knockOut })
        }
        #expect(
            config.profiles.first { $0.name == "standard" }?.criteria.first { $0.id == "turnover" }?.rule
                == .threshold(attribute: "annual_turnover_rub", min: Decimal(string: "30000000.00"), max: nil, unit: "₽"))
    }

    /// Profiles sit beside the config file (as /etc/dealerd/profiles beside /etc/dealerd/dealerd.yaml),
    /// and a broken one stops the service naming the file and the criterion.
    @Test
    func profilesAreFoundBesideTheConfigFileAndABrokenOneIsRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-etc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("profiles"), withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("dealerd.yaml")
        try Data("accreditation:\n  profiles_dir: profiles\n".utf8).write(to: config)
        try FileManager.default.copyItem(atPath: "Config/profiles/premium.yaml", toPath: folder.appendingPathComponent("profiles/premium.yaml").path)
        let loaded = try await ConfigLoader.load(path: config.path, environment: [:])
        #expect(loaded.profiles.map(\.name) == ["premium"])

        let broken = folder.appendingPathComponent("profiles/broken.yaml")
        try Data(
            "name: broken\nversion: \"1\"\npass_mark: 10\ncriteria:\n  - id: area\n    title: Площадь\n    kind: threshold\n    attribute: area\n    min: много\n    weight: 20\n"
                .utf8
        )
        .write(to: broken)
        await #expect {
            try await ConfigLoader.load(path: config.path, environment: [:])
        } throws: { error in
            "\(error)".contains("\(broken.path): criterion area: min must be a number")
        }
    }

    @Test(arguments: Backend.available)
    func aManagerChecksAProspectAndADealerOnFile(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let list = try await api.call(.get, "/v1/profiles", as: .viewer)
            #expect(list.json["items"]?.array.compactMap { $0["name"]?.stringValue }.sorted() == ["premium", "standard"])
            let premium = try await api.call(.get, "/v1/profiles/premium")
            #expect(premium.json["validity_months"] == .number(24) && premium.json["version"] == .string("2026.1"))
            #expect(try await api.call(.get, "/v1/profiles/gold").status == .notFound)

            // Exactly at every threshold, but the territory is full and no payment history: 90 of 100, accredited.
            let exact = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "standard", "facts": \#(Self.prospect)}"#)
            #expect(exact.status == .ok)
            #expect(exact.json["decision"] == .string("accredited") && exact.json["score"] == .number(90))
            let territory = exact.json["criteria"]?.array.first { $0["id"] == .string("territory") }
            #expect(territory?["outcome"] == .string("unmet") && territory?["seen"] == .string("3 accredited already in Тверь, cars"))
            let discipline = exact.json["criteria"]?.array.first { $0["id"] == .string("payment_discipline") }
            #expect(discipline?["outcome"] == .string("no_data") && discipline?["seen"] == .null)

            // The premium profile needs a service centre (a knock-out) nobody mentioned: a person decides.
            let premiumCheck = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "premium", "facts": \#(Self.prospect)}"#)
            #expect(premiumCheck.json["decision"] == .string("rejected"), "ИП is not among the premium legal forms, a knock-out")

            // A dealer on file: its card's attributes, and the accredited dealers of its region and segment.
            var ids: [String] = []
            for (index, code) in ["T-1", "T-2"].enumerated() {
                let dealer = try await api.call(
                    .post, "/v1/dealers", as: .manager,
                    json: dealerJSON(
                        code: code, name: code, taxID: KnownINN.organisations[index],
                        extra: #""attributes": {"showroom_area_m2": 90, "legal_form": "ООО", "own_warehouse": false}"#))
                ids.append(try #require(dealer.json["id"]?.stringValue))
            }
            try await api.accredit(ids[0])
            let onFile = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "standard", "dealer_id": "\#(ids[1])"}"#)
            #expect(onFile.status == .ok)
            let results = onFile.json["criteria"]?.array ?? []
            #expect(results.first { $0["id"] == .string("showroom") }?["seen"] == .string("90 м²"))
            #expect(results.first { $0["id"] == .string("territory") }?["seen"] == .string("1 accredited already in Москва, cars"))
            let noDocuments = results.first { $0["id"] == .string("documents") }
            #expect(
                noDocuments?["outcome"] == .string("unmet")
                    && noDocuments?["seen"] == .string("missing registration_extract, bank_reference, dealer_agreement"))
            #expect(onFile.json["decision"] == .string("rejected"), "the documents, a knock-out, are not on file")

            // The documents go on file; one has expired, and is renewed.
            var expiredID = ""
            for (kind, expires) in [("registration_extract", "2099-01-01"), ("bank_reference", "01.01.2020"), ("dealer_agreement", nil)] {
                let expiry = expires.map { #", "expires": "\#($0)""# } ?? ""
                let filed = try await api.call(
                    .post, "/v1/dealers/\(ids[1])/documents", as: .manager, json: #"{"kind": "\#(kind)", "number": "№ 17"\#(expiry)}"#)
                #expect(filed.status == .created)
                if kind == "bank_reference" { expiredID = try #require(filed.json["id"]?.stringValue) }
            }
            let listed = try await api.call(.get, "/v1/dealers/\(ids[1])/documents", as: .viewer)
            #expect(
                listed.json["items"]?.array.compactMap { $0["kind"]?.stringValue } == ["bank_reference", "dealer_agreement", "registration_extract"])
            let withExpired = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "standard", "dealer_id": "\#(ids[1])"}"#)
            #expect(
                withExpired.json["criteria"]?.array.first { $0["id"] == .string("documents") }?["seen"]
                    == .string("bank_reference (expired 2020-01-01)"))
            let renewed = try await api.call(
                .put, "/v1/dealers/\(ids[1])/documents/\(expiredID)", as: .manager,
                json: #"{"kind": "bank_reference", "number": "№ 18", "issued": "2026-11-01", "expires": "2099-11-01"}"#)
            #expect(renewed.status == .ok && renewed.json["expires"] == .string("2099-11-01") && renewed.json["number"] == .string("№ 18"))
            let withDocuments = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "standard", "dealer_id": "\#(ids[1])"}"#)
            #expect(withDocuments.json["criteria"]?.array.first { $0["id"] == .string("documents") }?["outcome"] == .string("met"))

            let bad = try await api.call(
                .post, "/v1/dealers/\(ids[1])/documents", as: .manager, json: #"{"kind": "Выписка", "issued": "2026-11-01", "expires": "2026-10-01"}"#
            )
            #expect(bad.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue }.sorted() == ["expires", "kind"])
            let elsewhere = try await api.call(
                .put, "/v1/dealers/\(ids[0])/documents/\(expiredID)", as: .manager, json: #"{"kind": "bank_reference"}"#)
            #expect(elsewhere.status == .notFound, "a document belongs to its dealer")
            let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(ids[1])")
            #expect(audit.json["items"]?.array.contains { $0["action"] == .string("document.replace") } == true)
        }
    }

    @Test(arguments: Backend.available)
    func badEvaluationRequestsAreClearProblems(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let unknown = try await api.call(.post, "/v1/accreditation/evaluate", json: #"{"profile": "gold", "facts": {}}"#)
            #expect(unknown.status == .unprocessableContent && unknown.json["invalid_params"]?.array.first?["name"] == .string("profile"))
            let both = try await api.call(
                .post, "/v1/accreditation/evaluate", json: #"{"profile": "standard", "facts": {}, "dealer_id": "\#(UUID().lowercased)"}"#)
            #expect(both.status == .unprocessableContent)
            let badFacts = try await api.call(
                .post, "/v1/accreditation/evaluate",
                json: #"{"profile": "standard", "facts": {"documents": [{"kind": "x", "expires": "скоро"}], "max_overdue_days": "много"}}"#)
            let fields = badFacts.json["invalid_params"]?.array.compactMap { $0["name"]?.stringValue }.sorted()
            #expect(fields == ["facts.documents[0].expires", "facts.max_overdue_days"])
            let missing = try await api.call(
                .post, "/v1/accreditation/evaluate", json: #"{"profile": "standard", "dealer_id": "\#(UUID().lowercased)"}"#)
            #expect(missing.status == .notFound)
            let viewer = try await api.call(.post, "/v1/accreditation/evaluate", as: .viewer, json: #"{"profile": "standard", "facts": {}}"#)
            #expect(viewer.status == .forbidden)
        }
    }

    @Test(arguments: Backend.available)
    func anAdminReloadsProfilesAndABrokenFileKeepsTheLastGood(_ backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-profiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let premium = folder.appendingPathComponent("premium.yaml")
        let original = try String(contentsOfFile: "Config/profiles/premium.yaml", encoding: .utf8)
        try original.write(to: premium, atomically: true, encoding: .utf8)
        let loaded = try ProfileLoader.load(directory: folder.path)
        try await APIHarness.run(
            backend,
            configure: {
                $0.profilesDirectory = folder.path
                $0.profiles = loaded
            }
        ) { api in
            try original.replacingOccurrences(of: #"version: "2026.1""#, with: #"version: "2026.2""#)
                .write(to: premium, atomically: true, encoding: .utf8)
            #expect(try await api.call(.get, "/v1/profiles/premium").json["version"] == .string("2026.1"), "nothing changes until a reload")
            #expect(try await api.call(.post, "/v1/profiles/reload", as: .manager).status == .forbidden)
            let reloaded = try await api.call(.post, "/v1/profiles/reload")
            #expect(reloaded.status == .ok && reloaded.json["profiles"]?.array.first?["version"] == .string("2026.2"))
            #expect(try await api.call(.get, "/v1/profiles/premium").json["version"] == .string("2026.2"))

            // A duplicate criterion id: refused, named, and the profiles in force stay.
            try original.replacingOccurrences(of: "id: service_centre", with: "id: legal_form").write(to: premium, atomically: true, encoding: .utf8)
            let refused = try await api.call(.post, "/v1/profiles/reload")
            #expect(refused.status == .unprocessableContent && refused.json["type"] == .string("urn:dealerd:problem:profiles_invalid"))
            #expect(refused.json["detail"]?.stringValue?.contains(premium.path) == true)
            #expect(refused.json["detail"]?.stringValue?.contains("legal_form") == true)
            #expect(refused.json["profiles"]?.array.first?["version"] == .string("2026.2"))
            let evaluated = try await api.call(
                .post, "/v1/accreditation/evaluate", as: .manager, json: #"{"profile": "premium", "facts": \#(Self.prospect)}"#)
            #expect(evaluated.json["profile_version"] == .string("2026.2"), "evaluations go on under the last good version")
        }
    }
}
