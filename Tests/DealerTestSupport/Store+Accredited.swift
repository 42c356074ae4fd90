import DealerCore
import DealerStore
import Foundation

extension Store {
    /// A profile with no criteria: what a test uses when its subject is not accreditation but needs
    /// accredited dealers (the decision is then an override with a reason, as the head of sales makes).
    public static let testProfile = AccreditationProfile(
        name: "test", version: "1", title: "Тестовый профиль", validityMonths: 12, passMark: 0, criteria: [])

    /// Creates a dealer and accredits it the only way there is: an accreditation decision, here the
    /// head of sales' override (an admin), so it has its decision on record like every accredited dealer.
    @discardableResult
    public func createAccreditedDealer(_ draft: DealerDraft, by actor: Caller = testActor) async throws -> Dealer {
        var applicant = draft
        applicant.status = .applicant
        let dealer = try await createDealer(applicant, by: actor)
        _ = try await accredit(
            dealerID: dealer.id, profile: Self.testProfile,
            override: AccreditationOverride(decision: .accredited, reason: "тестовый дилер"), by: actor,
            companyTimeZone: CivilDate.defaultCompanyTimeZone)
        return try await self.dealer(id: dealer.id)
    }
}
