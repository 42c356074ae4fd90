import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

@Suite("Managers in the store")
struct ManagerStoreTests {
    @Test(arguments: Backend.available)
    func managersAreCreatedListedAndUpdated(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            let anna = try await store.createManager(ManagerDraft(name: "Анна", email: "anna@example.ru", role: .newClients), by: testActor)
            _ = try await store.createManager(ManagerDraft(name: "Борис", email: "boris@example.ru", role: .head), by: testActor)
            #expect(try await store.managers(role: nil, active: nil, limit: 50, cursor: nil).items.map(\.name) == ["Анна", "Борис"])
            #expect(try await store.managers(role: .head, active: nil, limit: 50, cursor: nil).items.map(\.name) == ["Борис"])

            let updated = try await store.updateManager(id: anna.id, ManagerPatch(role: .existingClients, active: false), by: testActor)
            #expect(updated.role == .existingClients)
            #expect(try await store.manager(id: anna.id) == updated)
            #expect(try await store.managers(role: nil, active: true, limit: 50, cursor: nil).items.map(\.name) == ["Борис"])
            let audit = try await store.auditEntries(AuditQuery(entityType: "manager", entityID: anna.id.lowercased)).items
            #expect(audit.first?.before?["active"] == .bool(true))
            #expect(audit.first?.after?["active"] == .bool(false))
        }
    }

    @Test(arguments: Backend.available)
    func anEmailBelongsToOneManagerWhateverItsCase(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            _ = try await store.createManager(ManagerDraft(name: "Анна", email: "anna@example.ru", role: .newClients), by: testActor)
            await #expect(throws: DomainError.self) {
                try await store.createManager(ManagerDraft(name: "Анна 2", email: "ANNA@example.ru", role: .call), by: testActor)
            }
        }
    }
}
