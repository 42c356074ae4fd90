import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Event feed and audit log")
struct FeedStoreTests {
    @Test(arguments: Backend.available)
    func theEventFeedResumesFromACursorAndFilters(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let a = try await store.createDealer(.sample(code: "A"), by: testActor)
            let b = try await store.createDealer(.sample(code: "B", taxID: KnownINN.organisations[1]), by: testActor)
            _ = try await store.changeDealerStatus(id: a.id, to: .applicant, reason: "заявка", by: testActor)

            let first = try await store.events(after: 0, types: [], dealerID: nil, limit: 2)
            #expect(first.items.map(\.event.type) == [.dealerCreated, .dealerCreated])
            let rest = try await store.events(after: Int64(first.nextCursor!)!, types: [], dealerID: nil, limit: 2)
            #expect(rest.items.map(\.event.type) == [.dealerStatusChanged])
            let idle = try await store.events(after: Int64(rest.nextCursor!)!, types: [], dealerID: nil, limit: 2)
            #expect(idle.items.isEmpty)
            #expect(idle.nextCursor == rest.nextCursor)

            #expect(try await store.events(after: 0, types: [], dealerID: b.id, limit: 10).items.map(\.event.dealerID) == [b.id])
            #expect(try await store.events(after: 0, types: [.dealerStatusChanged], dealerID: nil, limit: 10).items.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func theAuditLogPagesNewestFirst(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            for index in 0..<5 {
                _ = try await store.createDealer(.sample(code: "A\(index)", taxID: KnownINN.organisations[index]), by: testActor)
            }
            let first = try await store.auditEntries(AuditQuery(limit: 3))
            #expect(first.items.count == 3)
            let second = try await store.auditEntries(AuditQuery(before: Int64(first.nextCursor!)!, limit: 3))
            #expect(second.items.count == 2)
            #expect(second.nextCursor == nil)
            let codes = (first.items + second.items).compactMap { $0.after?["code"]?.stringValue }
            #expect(codes == ["A4", "A3", "A2", "A1", "A0"])
        }
    }

    @Test(arguments: Backend.available)
    func eachDealersEventsAreNumberedWithoutGaps(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let a = try await store.createDealer(.sample(code: "A"), by: testActor)
            _ = try await store.createManager(ManagerDraft(name: "Анна", email: "anna@example.ru", role: .head), by: testActor)
            let b = try await store.createDealer(.sample(code: "B", taxID: KnownINN.organisations[1]), by: testActor)
            _ = try await store.changeDealerStatus(id: a.id, to: .applicant, reason: "заявка", by: testActor)
            _ = try await store.changeDealerStatus(id: b.id, to: .applicant, reason: "заявка", by: testActor)
            _ = try await store.accredit(
                dealerID: a.id, profile: Store.testProfile, override: AccreditationOverride(decision: .accredited, reason: "профиль"), by: testActor,
                companyTimeZone: CivilDate.defaultCompanyTimeZone)
            let events = try await store.events(after: 0, types: [], dealerID: nil, limit: 50).items
            // created, applied, the accreditation decision and the status change it made.
            #expect(events.filter { $0.event.dealerID == a.id }.map(\.dealerSequence) == [1, 2, 3, 4])
            #expect(events.filter { $0.event.dealerID == b.id }.map(\.dealerSequence) == [1, 2])
            #expect(events.filter { $0.event.dealerID == nil }.map(\.dealerSequence) == [nil])
        }
    }

    /// A value this build does not know (written by a newer dealerd) is reported, not read as some
    /// other event type.
    @Test(arguments: Backend.available)
    func anUnknownStoredEventTypeIsAnErrorNotAGuess(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await store.database.transaction { sql in
                try await sql.raw(
                    "INSERT INTO events (id, type, occurred_at, data) VALUES (\(bind: UUID()), 'dealer.teleported', \(bind: Date()), '{}')"
                ).run()
            }
            await #expect(throws: (any Error).self) { try await store.events(after: 0, types: [], dealerID: nil, limit: 10) }
            do {
                _ = try await store.events(after: 0, types: [], dealerID: nil, limit: 10)
            } catch {
                #expect("\(error)" == "column type holds \"dealer.teleported\", which this build does not know")
            }
        }
    }
}
