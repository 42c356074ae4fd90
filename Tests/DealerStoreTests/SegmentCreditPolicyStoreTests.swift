import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

@Suite("Default credit terms per segment")
struct SegmentCreditPolicyStoreTests {
    let defaults = CreditDefaults()
    let today = CivilDate(year: 2026, month: 11, day: 25)!

    func trucks(limit: String) throws -> [String: CreditPolicy] {
        var policy = try CreditPolicyDraft(limit: limit, paymentTermDays: 45, graceDays: 3, reason: "config")
            .validated(base: defaults.basePolicy).0
        policy.segment = "trucks"
        return ["trucks": policy]
    }

    @Test(arguments: Backend.available)
    func aDealerWithoutItsOwnTermsFollowsItsSegmentAndItsOwnPolicyWins(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let truck = try await store.createDealer(.sample(code: "T-1", segment: "trucks"), by: testActor)
            let car = try await store.createDealer(.sample(code: "C-1", taxID: KnownINN.organisations[1], segment: "cars"), by: testActor)
            #expect(try await store.syncSegmentCreditPolicies(try trucks(limit: "1 000 000"), defaults: defaults, today: today) == ["trucks"])
            #expect(
                try await store.syncSegmentCreditPolicies(try trucks(limit: "1 000 000"), defaults: defaults, today: today).isEmpty,
                "the same config again writes nothing")

            let inherited = try #require(try await store.creditPolicy(dealerID: truck.id))
            #expect(inherited.segment == "trucks" && inherited.limit.minorUnits == 100_000_000 && inherited.paymentTermDays == 45)
            #expect(try await store.creditPolicy(dealerID: car.id) == nil, "no default for cars")

            // The segment's payment term dates the debt; its limit stands behind the credit check.
            let written = try await store.recordLedgerEntries(
                [
                    (
                        .id(truck.id),
                        LedgerEntryDraft(externalID: "S-1", kind: "shipment", documentNumber: "1", documentDate: "2026-11-01", amount: "900000")
                    )
                ],
                correcting: false, defaults: defaults, today: today, prefix: { _ in "" }, by: testActor)
            #expect(written[0].entry.dueDate == CivilDate(year: 2026, month: 12, day: 16))
            let check = try await store.creditCheck(
                dealerID: truck.id, amount: "200000", openOrders: nil, defaults: defaults, today: today, by: testActor)
            #expect(check.decision == .block && check.reasons.map(\.code).contains("limit_exceeded"))

            // A policy of its own starts from the segment's terms and then wins.
            let own = try await store.setCreditPolicy(
                dealerID: truck.id, CreditPolicyDraft(limit: "2 000 000", reason: "поручительство"), defaults: defaults, today: today,
                by: testActor)
            #expect(own.segment == nil && own.paymentTermDays == 45 && own.graceDays == 3)
            try await store.syncSegmentCreditPolicies(try trucks(limit: "10"), defaults: defaults, today: today)
            #expect(try await store.creditPolicy(dealerID: truck.id)?.limit.minorUnits == 200_000_000)
        }
    }

    @Test(arguments: Backend.available)
    func loweringASegmentLimitAlertsTheDealersItGovernsOnceAndIsAudited(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let truck = try await store.createDealer(.sample(code: "T-2", segment: "trucks"), by: testActor)
            try await store.syncSegmentCreditPolicies(try trucks(limit: "1 000 000"), defaults: defaults, today: today)
            _ = try await store.recordLedgerEntries(
                [
                    (
                        .id(truck.id),
                        LedgerEntryDraft(externalID: "S-2", kind: "shipment", documentNumber: "2", documentDate: "2026-11-20", amount: "500000")
                    )
                ],
                correcting: false, defaults: defaults, today: today, prefix: { _ in "" }, by: testActor)
            func breaches() async throws -> Int {
                try await store.events(after: 0, types: [.creditLimitBreached], dealerID: truck.id, limit: 10).items.count
            }
            #expect(try await breaches() == 0)
            try await store.syncSegmentCreditPolicies(try trucks(limit: "400 000"), defaults: defaults, today: today)
            #expect(try await breaches() == 1)
            try await store.syncSegmentCreditPolicies(try trucks(limit: "400 000"), defaults: defaults, today: today)
            #expect(try await breaches() == 1, "no change, no event")
            try await store.syncSegmentCreditPolicies([:], defaults: defaults, today: today)
            #expect(try await store.creditPolicy(dealerID: truck.id) == nil, "a segment taken out of config leaves its dealers without terms")
            let audit = try await store.auditEntries(AuditQuery(entityType: "segment", entityID: "trucks"))
            #expect(audit.items.map(\.action) == Array(repeating: "credit_policy.segment_default", count: 3))
        }
    }
}
