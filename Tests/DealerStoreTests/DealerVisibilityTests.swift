import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// The store's set-based visibility condition agrees with Core's rule, dealer by dealer.
@Suite("Dealer visibility")
struct DealerVisibilityTests {
    @Test(arguments: Backend.available)
    func theSQLConditionSelectsExactlyTheDealersCoreAllows(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            var managers: [UUID] = []
            for (index, role) in [SalesRole.existingClients, .newClients, .service].enumerated() {
                managers.append(
                    try await store.createManager(ManagerDraft(name: "Менеджер \(index)", email: "m\(index)@example.ru", role: role), by: .cli).id)
            }
            var generator = SystemRandomNumberGenerator()
            var dealers: [Dealer] = []
            let salesPeople: [UUID?] = [managers[0], managers[1], nil]
            let specialists: [UUID?] = [managers[2], nil]
            for index in 0..<KnownINN.organisations.count {
                var draft = DealerDraft.sample(code: "V-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index])
                draft.managerID = salesPeople.randomElement(using: &generator) ?? nil
                draft.serviceSpecialistID = specialists.randomElement(using: &generator) ?? nil
                dealers.append(try await store.createDealer(draft, by: testActor))
            }
            for visibility in [DealerVisibility.all, .managedBy(nil)] + managers.map(DealerVisibility.managedBy) {
                var query = DealerQuery(limit: 500)
                query.visibility = visibility
                let seen = Set(try await store.dealers(matching: query).items.map(\.id))
                let expected = Set(
                    dealers.filter { visibility.allows(managerID: $0.managerID, serviceSpecialistID: $0.serviceSpecialistID) }.map(\.id))
                #expect(seen == expected, "\(visibility)")
                for dealer in dealers {
                    #expect(try await store.isVisible(dealerID: dealer.id, to: visibility) == expected.contains(dealer.id))
                }
            }
        }
    }
}
