import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

@Suite("Accreditations in the store")
struct AccreditationStoreTests {
    /// Exclusive territory as a knock-out: one dealer per region.
    static let exclusive = AccreditationProfile(
        name: "exclusive", version: "1", title: "Эксклюзив", validityMonths: 12, passMark: 10,
        criteria: [
            ProfileCriterion(
                id: "territory", title: "Один дилер на регион", weight: 10, knockOut: true,
                rule: .territoryCapacity(max: 1, perSegment: false))
        ])
    static let moscow = TimeZone(identifier: "Europe/Moscow")!

    /// Two applicants of one region accredited at the same moment: the territory's one place goes to
    /// exactly one of them, the other is rejected — never both.
    @Test(arguments: Backend.available)
    func concurrentAccreditationsCannotBothTakeTheLastPlaceOfATerritory(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            var ids: [UUID] = []
            for index in 0..<2 {
                var draft = DealerDraft.sample(code: "EX-\(index)", taxID: KnownINN.organisations[index])
                draft.status = .applicant
                ids.append(try await store.createDealer(draft, by: testActor).id)
            }
            let records = try await withThrowingTaskGroup(of: AccreditationRecord.self) { group in
                for id in ids {
                    group.addTask {
                        try await store.accredit(dealerID: id, profile: Self.exclusive, override: nil, by: testActor, companyTimeZone: Self.moscow)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(records.map(\.decision.rawValue).sorted() == ["accredited", "rejected"])
            let statuses = try await ids.asyncMap { try await store.dealer(id: $0).status.rawValue }
            #expect(statuses.sorted() == ["accredited", "prospect"])
        }
    }

    /// A refused accreditation leaves nothing behind: no record, no event, no audit entry.
    @Test(arguments: Backend.available)
    func aRefusedAccreditationWritesNothing(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(code: "EX-P"), by: testActor)
            let eventsBefore = try await store.events(after: 0, types: [], dealerID: nil, limit: 100).items.count
            await #expect(throws: DomainError.self) {
                try await store.accredit(dealerID: dealer.id, profile: Self.exclusive, override: nil, by: testActor, companyTimeZone: Self.moscow)
            }
            let manager = Caller(name: "someone", role: .manager)
            _ = try await store.changeDealerStatus(id: dealer.id, to: .applicant, reason: "заявка", by: testActor)
            await #expect(
                throws: DomainError.forbidden(
                    message: "an override is the head of sales' decision: it needs an admin key or a manager key bound to the head of sales")
            ) {
                try await store.accredit(
                    dealerID: dealer.id, profile: Self.exclusive, override: AccreditationOverride(decision: .accredited, reason: "x"), by: manager,
                    companyTimeZone: Self.moscow)
            }
            #expect(try await store.accreditations(dealerID: dealer.id, page: PageRequest()).items.isEmpty)
            let events = try await store.events(after: 0, types: [], dealerID: nil, limit: 100).items
            #expect(events.count == eventsBefore + 1, "only the status change to applicant")
            #expect(try await store.dealer(id: dealer.id).status == .applicant)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
