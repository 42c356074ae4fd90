import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Dealers in the store")
struct DealerStoreTests {
    @Test(arguments: Backend.available)
    func creatingADealerWritesItsAuditRecordAndEvent(_ backend: Backend) async throws {
        try await withTestStore(backend, clock: TestClock()) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            #expect(try await store.dealer(id: dealer.id) == dealer)

            let audit = try await store.auditEntries(AuditQuery(entityType: "dealer", entityID: dealer.id.lowercased))
            #expect(audit.items.count == 1)
            #expect(audit.items[0].actor == "test-admin")
            #expect(audit.items[0].action == "dealer.create")
            #expect(audit.items[0].before == nil)
            #expect(audit.items[0].after?["code"] == .string("D-001"))

            let events = try await store.events(after: 0, types: [], dealerID: nil, limit: 10)
            #expect(events.items.map(\.event.type) == [.dealerCreated])
            #expect(events.items[0].event.dealerID == dealer.id)
            #expect(events.items[0].event.data["tax_id"] == .string("7707083893"))
            #expect(events.items[0].event.data["attributes"]?["showroom_area_m2"] == .number(180))
        }
    }

    @Test(arguments: Backend.available)
    func aDuplicateCodeIsAConflictAndWritesNothing(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(code: "D-1"), by: testActor)
            await #expect(throws: DomainError.conflict(field: "code", message: "a dealer with code D-1 already exists")) {
                try await store.createDealer(.sample(code: "D-1", name: "Другой"), by: testActor)
            }
            #expect(try await store.dealers(matching: DealerQuery()).items.count == 1)
            #expect(try await store.events(after: 0, types: [], dealerID: nil, limit: 10).items.count == 1)
            #expect(try await store.auditEntries(AuditQuery()).items.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func anUnknownManagerIsRefusedByField(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let missing = UUID()
            await #expect(throws: ValidationError(field: "manager_id", "no manager with id \(missing.lowercased)")) {
                try await store.createDealer(.sample(managerID: missing), by: testActor)
            }
            #expect(try await store.dealers(matching: DealerQuery()).items.isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func listFiltersSearchesAndPagesInNameOrder(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let manager = try await store.createManager(ManagerDraft(name: "Анна", email: "anna@example.ru", role: .existingClients), by: testActor)
            let names = ["Вектор", "Альфа Моторс", "Гамма", "Бета Авто", "Дельта", "Ёлка_100%", "Жук"]
            for (index, name) in names.enumerated() {
                _ = try await store.createDealer(
                    .sample(
                        code: "D-\(index)", name: name, taxID: KnownINN.organisations[index],
                        region: index.isMultiple(of: 2) ? "Москва" : "Казань", segment: index < 3 ? "cars" : "trucks",
                        managerID: index == 4 ? manager.id : nil),
                    by: testActor)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await store.dealers(matching: DealerQuery(limit: 3, cursor: cursor))
                #expect(page.items.count <= 3)
                seen += page.items.map(\.name)
                cursor = page.nextCursor
            } while cursor != nil
            // Alphabetical as a person files them: Ё under Е, so «Ёлка» comes after «Дельта».
            #expect(seen == ["Альфа Моторс", "Бета Авто", "Вектор", "Гамма", "Дельта", "Ёлка_100%", "Жук"])

            func namesOf(_ query: DealerQuery) async throws -> [String] {
                try await store.dealers(matching: query).items.map(\.name)
            }
            #expect(try await namesOf(DealerQuery(region: "Казань")) == ["Альфа Моторс", "Бета Авто", "Ёлка_100%"])
            #expect(try await namesOf(DealerQuery(region: "Москва", segment: "trucks")) == ["Дельта", "Жук"])
            #expect(try await namesOf(DealerQuery(managerID: manager.id)) == ["Дельта"])
            #expect(try await namesOf(DealerQuery(search: "альфа")) == ["Альфа Моторс"])
            #expect(try await namesOf(DealerQuery(search: "БЕТА")) == ["Бета Авто"])
            #expect(try await namesOf(DealerQuery(search: KnownINN.organisations[2])) == ["Гамма"])
            #expect(try await namesOf(DealerQuery(search: "d-6")) == ["Жук"])
            #expect(try await namesOf(DealerQuery(search: "100%")) == ["Ёлка_100%"])
            #expect(try await namesOf(DealerQuery(search: "_")) == ["Ёлка_100%"])
            #expect(try await namesOf(DealerQuery(status: .accredited)).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func aCursorFromElsewhereIsRefused(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            await #expect(throws: ValidationError(field: "cursor", "not a cursor this list handed out")) {
                try await store.dealers(matching: DealerQuery(cursor: "garbage"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func anUpdateRecordsBeforeAndAfterAndNamesTheChangedFields(_ backend: Backend) async throws {
        let clock = TestClock()
        try await withTestStore(backend, clock: clock) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            clock.advance(by: 3600)
            var patch = DealerPatch()
            patch.city = .set("Химки")
            patch.attributes = ["own_warehouse": nil]
            let updated = try await store.updateDealer(id: dealer.id, patch, by: Caller(name: "anna", role: .manager))
            #expect(updated.city == "Химки")
            #expect(updated.attributes["own_warehouse"] == nil)
            #expect(updated.updatedAt == clock.now())
            #expect(try await store.dealer(id: dealer.id) == updated)

            let audit = try await store.auditEntries(AuditQuery(entityID: dealer.id.lowercased)).items
            #expect(audit.map(\.action) == ["dealer.update", "dealer.create"])
            #expect(audit[0].actor == "anna")
            #expect(audit[0].before?["city"] == .null)
            #expect(audit[0].after?["city"] == .string("Химки"))

            let events = try await store.events(after: 0, types: [.dealerUpdated], dealerID: dealer.id, limit: 10).items
            #expect(events.count == 1)
            #expect(events[0].event.data["changed_fields"] == .array([.string("attributes"), .string("city")]))
        }
    }

    @Test(arguments: Backend.available)
    func anUpdateThatChangesNothingWritesNothing(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            var patch = DealerPatch()
            patch.name = .set(dealer.name)
            #expect(try await store.updateDealer(id: dealer.id, patch, by: testActor) == dealer)
            #expect(try await store.auditEntries(AuditQuery()).items.count == 1)
            #expect(try await store.events(after: 0, types: [], dealerID: nil, limit: 10).items.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func changingTheCodeToATakenOneIsAConflict(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            _ = try await store.createDealer(.sample(code: "A"), by: testActor)
            let other = try await store.createDealer(.sample(code: "B", taxID: KnownINN.organisations[1]), by: testActor)
            var patch = DealerPatch()
            patch.code = .set("A")
            await #expect(throws: DomainError.self) { try await store.updateDealer(id: other.id, patch, by: testActor) }
            #expect(try await store.dealer(id: other.id).code == "B")
        }
    }

    @Test(arguments: Backend.available)
    func theStatusMovesAlongTheLifecycleOnly(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(), by: testActor)
            await #expect(throws: DomainError.invalidTransition(from: "prospect", to: "suspended", allowed: ["applicant", "terminated"])) {
                try await store.changeDealerStatus(id: dealer.id, to: .suspended, reason: "долг", by: testActor)
            }
            let decide = {
                try await store.accredit(
                    dealerID: dealer.id, profile: Store.testProfile,
                    override: AccreditationOverride(decision: .accredited, reason: "профиль выполнен"),
                    by: testActor, companyTimeZone: CivilDate.defaultCompanyTimeZone)
            }
            let applied = try await store.changeDealerStatus(id: dealer.id, to: .applicant, reason: "заявка", by: testActor)
            #expect(applied.status == .applicant && applied.statusReason == "заявка")
            // Accredited only by a decision: the status route refuses it, from applicant and from suspended.
            await #expect(throws: DomainError.accreditationRequired(from: "applicant")) {
                try await store.changeDealerStatus(id: dealer.id, to: .accredited, reason: "профиль выполнен", by: testActor)
            }
            _ = try await decide()
            let suspended = try await store.changeDealerStatus(id: dealer.id, to: .suspended, reason: "просрочка", by: testActor)
            #expect(suspended.status == .suspended && suspended.statusReason == "просрочка")
            await #expect(throws: DomainError.accreditationRequired(from: "suspended")) {
                try await store.changeDealerStatus(id: dealer.id, to: .accredited, reason: "долг погашен", by: testActor)
            }
            _ = try await decide()
            let events = try await store.events(after: 0, types: [.dealerStatusChanged], dealerID: dealer.id, limit: 10).items
            #expect(events.map { $0.event.data["to"] } == ["applicant", "accredited", "suspended", "accredited"].map(JSONValue.string))
            #expect(events.last?.event.data["from"] == .string("suspended"))
            #expect(try await store.dealer(id: dealer.id).status == .accredited)
            #expect(
                try await store.accreditations(dealerID: dealer.id, page: PageRequest()).items.count == 2,
                "each accreditation has its decision on record")
        }
    }

    @Test(arguments: Backend.available)
    func unknownDealersAreNotFound(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let id = UUID()
            await #expect(throws: DomainError.notFound(entity: "dealer", id: id.lowercased)) { try await store.dealer(id: id) }
            await #expect(throws: DomainError.notFound(entity: "dealer", id: id.lowercased)) {
                try await store.changeDealerStatus(id: id, to: .applicant, reason: "x", by: testActor)
            }
        }
    }

    @Test(arguments: Backend.available)
    func concurrentWritersAllLandAndTheFeedStaysInOrder(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await store.createDealer(
                            .sample(code: "C-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index % 7]),
                            by: testActor)
                    }
                }
                try await group.waitForAll()
            }
            let events = try await store.events(after: 0, types: [], dealerID: nil, limit: 500).items
            #expect(events.count == 40)
            #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
            #expect(try await store.dealers(matching: DealerQuery(limit: 500)).items.count == 40)
        }
    }

    @Test(arguments: Backend.available)
    func aFailedTransactionLeavesNothingBehind(_ backend: Backend) async throws {
        struct Boom: Error {}
        try await withTestStore(backend) { (store: Store) async throws in
            await #expect(throws: Boom.self) {
                try await store.database.transaction { sql in
                    try await sql.raw(
                        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id) VALUES (\(bind: Date()), 'x', 'y', 'z', 'w')"
                    ).run()
                    throw Boom()
                }
            }
            #expect(try await store.auditEntries(AuditQuery()).items.isEmpty)
        }
    }

    /// A request cancelled mid-transaction (a client hanging up) must roll back and leave the
    /// shared SQLite connection outside any transaction.
    @Test(arguments: Backend.available)
    func aCancelledTransactionRollsBackAndTheDatabaseStaysUsable(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let task = Task {
                try await store.database.transaction { sql in
                    try await sql.raw(
                        "INSERT INTO audit_log (at, actor, action, entity_type, entity_id) VALUES (\(bind: Date()), 'x', 'y', 'z', 'w')"
                    ).run()
                    try await Task.sleep(for: .seconds(10))
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            _ = await task.result
            #expect(try await store.auditEntries(AuditQuery()).items.isEmpty)
            let dealer = try await store.createDealer(.sample(), by: testActor)
            #expect(try await store.dealer(id: dealer.id).code == "D-001")
        }
    }
}
