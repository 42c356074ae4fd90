import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Accrediting dealers, the head of sales' override, expiry and the compliance KPI through the API")
struct AccreditationDecisionAPITests {
    /// 2026-11-25 12:00 in Moscow.
    static let start = Date(timeIntervalSince1970: 1_795_597_200)

    static let fullAttributes = #"""
        "attributes": {"showroom_area_m2": 200, "sales_staff": 4, "years_in_business": 3, "annual_turnover_rub": 50000000,
                       "own_warehouse": true, "legal_form": "ООО"}
        """#

    /// An applicant of `manager`, with its documents on file (the bank reference until `bankReferenceUntil`).
    static func applicant(
        _ api: APIHarness, code: String, index: Int, manager: String, attributes: String = fullAttributes,
        bankReferenceUntil: String = "2099-01-01", documents: Bool = true
    ) async throws -> String {
        let created = try await api.call(
            .post, "/v1/dealers", as: .manager,
            json: dealerJSON(
                code: code, name: "Дилер \(code)", taxID: KnownINN.organisations[index],
                extra: #"\#(attributes), "status": "applicant", "manager_id": "\#(manager)""#))
        let id = try #require(created.json["id"]?.stringValue, "\(created.text)")
        if documents {
            for (kind, expires) in [
                ("registration_extract", "2099-01-01"), ("bank_reference", bankReferenceUntil), ("dealer_agreement", "2099-01-01"),
            ] {
                let filed = try await api.call(
                    .post, "/v1/dealers/\(id)/documents", as: .manager, json: #"{"kind": "\#(kind)", "expires": "\#(expires)"}"#)
                #expect(filed.status == .created)
            }
        }
        return id
    }

    static func manager(_ api: APIHarness, name: String, email: String, role: String) async throws -> String {
        // An admin appoints: a head of sales is made by an admin only.
        let created = try await api.call(.post, "/v1/managers", as: .admin, json: #"{"name": "\#(name)", "email": "\#(email)", "role": "\#(role)"}"#)
        return try #require(created.json["id"]?.stringValue, "\(created.text)")
    }

    /// A manager key bound to a manager, made the way an operator makes one.
    static func managerKey(_ api: APIHarness, for email: String) async throws -> HTTPFields {
        let secret = try await api.database.withStore { store in
            try await store.createAPIKey(name: "key-\(email)", role: .manager, manager: email, by: .cli).secret
        }
        return [.authorization: "Bearer \(secret)"]
    }

    @Test(arguments: Backend.available)
    func dealersAreAccreditedWithAFullRecordAndTheHeadOfSalesOverrides(_ backend: Backend) async throws {
        let clock = TestClock(Self.start)
        try await APIHarness.run(backend, clock: clock) { api in
            let anna = try await Self.manager(api, name: "Анна Иванова", email: "anna@example.ru", role: "new_clients")
            _ = try await Self.manager(api, name: "Пётр Сидоров", email: "head@example.ru", role: "head")
            let annaKey = try await Self.managerKey(api, for: "anna@example.ru")
            let headKey = try await Self.managerKey(api, for: "head@example.ru")

            // A returning dealer that paid a shipment 10 days late: every criterion is met.
            let good = try await Self.applicant(api, code: "ACC-1", index: 0, manager: anna)
            for entry in [
                #"{"external_id": "S-1", "kind": "shipment", "document_number": "1", "document_date": "2026-06-01", "due_date": "2026-07-01", "amount": "1000.00"}"#,
                #"{"external_id": "P-1", "kind": "payment", "document_number": "2", "document_date": "2026-07-11", "amount": "1000.00"}"#,
            ] {
                #expect(try await api.call(.post, "/v1/dealers/\(good)/ledger", as: .integration, json: entry).status == .created)
            }
            let accredited = try await api.call(
                .post, "/v1/dealers/\(good)/accreditations", as: nil, json: #"{"profile": "standard"}"#, headers: annaKey)
            #expect(accredited.status == .created, "\(accredited.text)")
            let record = accredited.json
            #expect(record["decision"] == .string("accredited") && record["evaluated_decision"] == .string("accredited"))
            #expect(record["score"] == .number(100) && record["pass_mark"] == .number(70) && record["overridden"] == .bool(false))
            #expect(record["profile"] == .string("standard") && record["profile_version"] == .string("2026.1"))
            #expect(record["valid_until"] == .string("2027-11-24") && record["decided_by"] == .string("key-anna@example.ru"))
            #expect(record["status_before"] == .string("applicant") && record["status_after"] == .string("accredited"))
            #expect(record["required_documents"]?.array == ["registration_extract", "bank_reference", "dealer_agreement"].map(JSONValue.string))
            #expect(record["facts"]?["attributes"]?["showroom_area_m2"] == .number(200) && record["facts"]?["max_overdue_days"] == .number(10))
            let discipline = record["evaluation"]?["criteria"]?.array.first { $0["id"] == .string("payment_discipline") }
            #expect(discipline?["outcome"] == .string("met") && discipline?["seen"] == .string("10 days at most"))
            let goodDealer = try await api.call(.get, "/v1/dealers/\(good)").json
            #expect(goodDealer["status"] == .string("accredited"))
            #expect(goodDealer["status_reason"] == .string("Аккредитован по профилю «standard» версии 2026.1"))
            let events = try await api.call(.get, "/v1/events?dealer_id=\(good)", as: .integration).json["items"]?.array ?? []
            let decided = events.first { $0["type"] == .string("accreditation.decided") }
            #expect(decided?["data"]?["decision"] == .string("accredited") && decided?["data"]?["profile_version"] == .string("2026.1"))
            #expect(decided?["data"]?["score"] == .number(100))
            let moved = events.first { $0["type"] == .string("dealer.status_changed") }
            #expect(moved?["data"]?["from"] == .string("applicant") && moved?["data"]?["to"] == .string("accredited"))

            // Too small and too new: rejected, and back to prospect.
            let small = try await Self.applicant(
                api, code: "ACC-2", index: 1, manager: anna,
                attributes:
                    #""attributes": {"showroom_area_m2": 40, "sales_staff": 1, "years_in_business": 0, "legal_form": "ИП", "own_warehouse": false}"#)
            let rejected = try await api.call(.post, "/v1/dealers/\(small)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(rejected.json["decision"] == .string("rejected") && rejected.json["valid_until"] == .null)
            #expect(rejected.json["status_after"] == .string("prospect"))
            #expect(try await api.call(.get, "/v1/dealers/\(small)").json["status"] == .string("prospect"))

            // No legal form on the card (a knock-out without data): a person must look; nothing moves.
            let unclear = try await Self.applicant(
                api, code: "ACC-3", index: 2, manager: anna,
                attributes:
                    #""attributes": {"showroom_area_m2": 300, "sales_staff": 5, "years_in_business": 4, "annual_turnover_rub": 90000000, "own_warehouse": true}"#
            )
            let review = try await api.call(.post, "/v1/dealers/\(unclear)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(review.json["decision"] == .string("needs_review") && review.json["status_after"] == .string("applicant"))

            // Only the head of sales overrides, and only with a reason.
            let override = #"{"profile": "standard", "override": {"decision": "accredited", "reason": "ООО зарегистрировано, выписка в пути"}}"#
            let byAnna = try await api.call(.post, "/v1/dealers/\(unclear)/accreditations", as: nil, json: override, headers: annaKey)
            #expect(byAnna.status == .forbidden && byAnna.json["detail"]?.stringValue?.contains("head of sales") == true)
            let byUnboundKey = try await api.call(.post, "/v1/dealers/\(unclear)/accreditations", as: .manager, json: override)
            #expect(byUnboundKey.status == .forbidden)
            let noReason = try await api.call(
                .post, "/v1/dealers/\(unclear)/accreditations", as: nil,
                json: #"{"profile": "standard", "override": {"decision": "accredited", "reason": " "}}"#, headers: headKey)
            #expect(noReason.status == .unprocessableContent && noReason.json["invalid_params"]?.array.first?["name"] == .string("override.reason"))
            clock.advance(by: 3 * 86400)
            let overridden = try await api.call(.post, "/v1/dealers/\(unclear)/accreditations", as: nil, json: override, headers: headKey)
            #expect(overridden.status == .created)
            #expect(overridden.json["decision"] == .string("accredited") && overridden.json["evaluated_decision"] == .string("needs_review"))
            #expect(overridden.json["overridden"] == .bool(true))
            #expect(overridden.json["override"]?["reason"] == .string("ООО зарегистрировано, выписка в пути"))
            #expect(overridden.json["valid_until"] == .string("2027-11-27"))
            let history = try await api.call(.get, "/v1/dealers/\(unclear)/accreditations", as: .viewer)
            #expect(history.json["items"]?.array.compactMap { $0["decision"]?.stringValue } == ["accredited", "needs_review"])
            let audit = try await api.call(.get, "/v1/audit?entity_type=dealer&entity_id=\(unclear)")
            let overrideEntry = audit.json["items"]?.array.first { $0["action"] == .string("accreditation.override") }
            #expect(overrideEntry?["actor"] == .string("key-head@example.ru"))
            #expect(overrideEntry?["after"]?["override_reason"] == .string("ООО зарегистрировано, выписка в пути"))

            // What cannot be accredited, and bad requests.
            let prospect = try await api.call(.post, "/v1/dealers/\(small)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(prospect.status == .conflict && prospect.json["detail"]?.stringValue?.contains("applicant first") == true)
            let unknownProfile = try await api.call(.post, "/v1/dealers/\(good)/accreditations", as: .manager, json: #"{"profile": "gold"}"#)
            #expect(
                unknownProfile.status == .unprocessableContent && unknownProfile.json["invalid_params"]?.array.first?["name"] == .string("profile"))
            let badOverride = try await api.call(
                .post, "/v1/dealers/\(good)/accreditations", json: #"{"profile": "standard", "override": {"decision": "maybe", "reason": "x"}}"#)
            #expect(badOverride.json["invalid_params"]?.array.first?["name"] == .string("override.decision"))
            #expect(
                try await api.call(.post, "/v1/dealers/\(UUID().lowercased)/accreditations", json: #"{"profile": "standard"}"#).status == .notFound)
            #expect(
                try await api.call(.post, "/v1/dealers/\(good)/accreditations", as: .viewer, json: #"{"profile": "standard"}"#).status == .forbidden)
            #expect(
                try await api.call(.post, "/v1/dealers/\(good)/accreditations", as: .accountant, json: #"{"profile": "standard"}"#).status
                    == .forbidden)

            // The KPI: of 2 accredited, 1 met the profile (the other by override); 3 applied, 2 accredited, 1 rejected.
            let kpi = try await api.call(.get, "/v1/kpi/profile-compliance?from=2026-11-01&to=2026-11-30&group_by=manager", as: .viewer)
            #expect(kpi.status == .ok)
            let group = try #require(kpi.json["groups"]?.array.first { $0["name"] == .string("Анна Иванова") })
            #expect(group["key"] == .string(anna))
            #expect(group["figures"]?["accredited"] == .number(2) && group["figures"]?["met_profile"] == .number(1))
            #expect(group["figures"]?["overridden"] == .number(1) && group["figures"]?["compliance_percent"] == .number(50))
            let funnel = group["figures"]?["funnel"]
            #expect(funnel?["applied"] == .number(3) && funnel?["accredited"] == .number(2) && funnel?["rejected"] == .number(1))
            #expect(funnel?["median_days_to_accreditation"] == .number(Decimal(string: "1.5")!))
            #expect(kpi.json["total"] == group["figures"])
            let before = try await api.call(.get, "/v1/kpi/profile-compliance?from=2026-10-01&to=2026-10-31", as: .viewer)
            #expect(before.json["total"]?["accredited"] == .number(0) && before.json["total"]?["compliance_percent"] == .null)
            let backwards = try await api.call(.get, "/v1/kpi/profile-compliance?from=2026-12-01&to=2026-11-01")
            #expect(backwards.status == .unprocessableContent && backwards.json["invalid_params"]?.array.first?["name"] == .string("to"))
            #expect(try await api.call(.get, "/v1/kpi/profile-compliance?group_by=planet").status == .unprocessableContent)
            #expect(try await api.call(.get, "/v1/kpi/profile-compliance", as: .integration).status == .forbidden)
        }
    }

    /// Runs the job for `asOf` through the API and waits for it to finish.
    static func runExpiry(_ api: APIHarness, asOf: String) async throws {
        let requested = try await api.call(.post, "/v1/jobs/accreditation-expiry/run", as: .manager, json: #"{"as_of": "\#(asOf)"}"#)
        let location = try #require(requested.headers[.location])
        var run = requested.json
        for _ in 0..<200 where run["status"] != .string("succeeded") && run["status"] != .string("failed") {
            try await Task.sleep(for: .milliseconds(50))
            run = try await api.call(.get, location, as: .viewer).json
        }
        #expect(run["status"] == .string("succeeded"), "\(run)")
    }

    @Test(arguments: Backend.available)
    func expiringAccreditationsAndDocumentsAreRemindedOnceAndExpiryEndsInSuspension(_ backend: Backend) async throws {
        let clock = TestClock(Self.start)
        try await APIHarness.run(backend, configure: { $0.scheduler.pollInterval = 0.05 }, clock: clock) { api in
            let anna = try await Self.manager(api, name: "Анна", email: "anna@example.ru", role: "new_clients")
            let dealer = try await Self.applicant(api, code: "EXP-1", index: 0, manager: anna, bankReferenceUntil: "2027-01-10")
            let record = try await api.call(.post, "/v1/dealers/\(dealer)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(record.json["valid_until"] == .string("2027-11-24"))

            func alerts() async throws -> [JSONValue] {
                let feed = try await api.call(.get, "/v1/events?dealer_id=\(dealer)&limit=500", as: .integration).json["items"]?.array ?? []
                return feed.filter { $0["type"]?.stringValue?.hasPrefix("accreditation.expir") == true }
            }
            // 31 days before the bank reference runs out: nothing yet.
            try await Self.runExpiry(api, asOf: "2026-12-10T07:00:00+03:00")
            #expect(try await alerts().isEmpty)
            // 30 days before: one reminder about the document; the same day again adds nothing.
            try await Self.runExpiry(api, asOf: "2026-12-11T07:00:00+03:00")
            try await Self.runExpiry(api, asOf: "2026-12-11T19:00:00+03:00")
            var seen = try await alerts()
            #expect(seen.count == 1)
            #expect(seen.last?["type"] == .string("accreditation.expiring") && seen.last?["data"]?["subject"] == .string("document"))
            #expect(seen.last?["data"]?["kind"] == .string("bank_reference") && seen.last?["data"]?["threshold_days"] == .number(30))
            #expect(seen.last?["data"]?["days_left"] == .number(30))
            // The job skipped a week: at 5 days left one reminder (7 days), not two.
            try await Self.runExpiry(api, asOf: "2027-01-05T07:00:00+03:00")
            seen = try await alerts()
            #expect(seen.count == 2 && seen.last?["data"]?["threshold_days"] == .number(7))
            // It runs out: an alert only (documents never suspend).
            try await Self.runExpiry(api, asOf: "2027-01-11T07:00:00+03:00")
            seen = try await alerts()
            #expect(seen.count == 3 && seen.last?["type"] == .string("accreditation.expired") && seen.last?["data"]?["action"] == .string("alerted"))
            #expect(try await api.call(.get, "/v1/dealers/\(dealer)").json["status"] == .string("accredited"))

            // The accreditation itself: 30 and 7 days before, then suspension at expiry, once.
            try await Self.runExpiry(api, asOf: "2027-10-25T07:00:00+03:00")
            try await Self.runExpiry(api, asOf: "2027-11-17T07:00:00+03:00")
            try await Self.runExpiry(api, asOf: "2027-11-24T07:00:00+03:00")
            seen = try await alerts()
            #expect(seen.count == 5)
            #expect(seen.suffix(2).map { $0["data"]?["subject"] } == [.string("accreditation"), .string("accreditation")])
            #expect(seen.suffix(2).map { $0["data"]?["threshold_days"] } == [.number(30), .number(7)])
            try await Self.runExpiry(api, asOf: "2027-11-25T07:00:00+03:00")
            try await Self.runExpiry(api, asOf: "2027-11-26T07:00:00+03:00")
            seen = try await alerts()
            #expect(seen.count == 6)
            #expect(seen.last?["type"] == .string("accreditation.expired") && seen.last?["data"]?["action"] == .string("suspended"))
            let suspended = try await api.call(.get, "/v1/dealers/\(dealer)").json
            #expect(suspended["status"] == .string("suspended"))
            #expect(suspended["status_reason"]?.stringValue?.contains("действовала по 24.11.2027") == true)
            let moved = try await api.call(.get, "/v1/events?dealer_id=\(dealer)&type=dealer.status_changed&limit=500", as: .integration)
            #expect(moved.json["items"]?.array.last?["data"]?["to"] == .string("suspended"))
            #expect(moved.json["items"]?.array.last?["data"]?["actor"] == .string("job:accreditation-expiry"))

            // Re-accreditation brings it back, with a new validity.
            clock.advance(by: 400 * 86400)
            _ = try await api.call(
                .post, "/v1/dealers/\(dealer)/documents", as: .manager, json: #"{"kind": "bank_reference", "expires": "2099-01-01"}"#)
            let renewed = try await api.call(.post, "/v1/dealers/\(dealer)/accreditations", as: .manager, json: #"{"profile": "standard"}"#)
            #expect(renewed.json["status_before"] == .string("suspended") && renewed.json["status_after"] == .string("accredited"))
        }
    }
}
