import DealerCore
import Foundation
import Testing

@Suite("Dealer validation")
struct DealerValidationTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func reportsEveryBadFieldAtOnce() {
        let draft = DealerDraft(
            code: " ", name: nil, taxID: "1234567890", kpp: "12",
            contacts: [Contact(name: "", email: "not-mail", phone: "call me")],
            attributes: ["Showroom": .number(1)], status: .terminated)
        do {
            _ = try draft.validated(id: UUID(), now: now)
            Issue.record("an invalid draft was accepted")
        } catch {
            #expect(
                Set(error.issues.map(\.field)) == [
                    "code", "name", "tax_id", "kpp", "contacts[0].name", "contacts[0].email", "contacts[0].phone",
                    "attributes.Showroom", "status",
                ])
        }
    }

    @Test func fillsLegalNameAndStartsAsProspect() throws {
        let dealer = try DealerDraft(code: " D-7 ", name: " Бета ", taxID: "7736050003").validated(id: UUID(), now: now)
        #expect(dealer.code == "D-7")
        #expect(dealer.name == "Бета")
        #expect(dealer.legalName == "Бета")
        #expect(dealer.status == .prospect)
        #expect(dealer.createdAt == now && dealer.updatedAt == now)
    }

    @Test func anIndividualEntrepreneurHasNoKPP() {
        #expect(throws: ValidationError(field: "kpp", "an individual entrepreneur (12-digit INN) has no KPP")) {
            try DealerDraft(code: "IP-1", name: "ИП Иванов", taxID: "500100732259", kpp: "773601001")
                .validated(id: UUID(), now: now)
        }
    }

    @Test func patchSetsClearsAndMergesAttributes() throws {
        let dealer = try DealerDraft(
            code: "D-1", name: "Альфа", taxID: "7707083893", kpp: "773601001", region: "Москва",
            attributes: ["staff": .number(3), "own_warehouse": .bool(true)]
        ).validated(id: UUID(), now: now)
        var patch = DealerPatch()
        patch.kpp = .clear
        patch.city = .set("Химки")
        patch.attributes = ["staff": .number(5), "own_warehouse": nil, "legal_form": .string("АО")]
        let later = now.addingTimeInterval(60)
        let updated = try patch.applied(to: dealer, now: later)
        #expect(updated.kpp == nil)
        #expect(updated.city == "Химки")
        #expect(updated.region == "Москва")
        #expect(updated.attributes == ["staff": .number(5), "legal_form": .string("АО")])
        #expect(updated.updatedAt == later)
    }

    @Test func patchCannotRemoveRequiredFields() throws {
        let dealer = try DealerDraft(code: "D-1", name: "Альфа", taxID: "7707083893").validated(id: UUID(), now: now)
        var patch = DealerPatch()
        patch.name = .clear
        patch.taxID = .set("123")
        #expect(
            throws: ValidationError([
                FieldIssue(field: "name", message: "required; it cannot be removed"),
                FieldIssue(field: "tax_id", message: "an INN has 10 digits (organisation) or 12 (individual), not 3"),
            ])
        ) {
            try patch.applied(to: dealer, now: now)
        }
    }

    @Test func anEmptyPatchLeavesTheDealerAndItsTimestampAlone() throws {
        let dealer = try DealerDraft(code: "D-1", name: "Альфа", taxID: "7707083893").validated(id: UUID(), now: now)
        let same = try DealerPatch().applied(to: dealer, now: now.addingTimeInterval(60))
        #expect(same == dealer)
    }

    @Test func managerEmailIsNormalisedAndRoleRequired() throws {
        let manager = try ManagerDraft(name: "Анна", email: " Anna@Example.RU ", role: .newClients).validated(id: UUID(), now: now)
        #expect(manager.email == "anna@example.ru")
        #expect(manager.active)
        #expect(throws: ValidationError.self) { try ManagerDraft(name: "Анна", email: "anna@").validated(id: UUID(), now: now) }
    }

    @Test func dealersAreFiledAsPeopleAlphabetiseNames() {
        let names = ["Яблоко", "«Альфа»", "ёлка", "Ель", "бета", "Жук", "Alpha"]
        #expect(
            names.sorted { DealerQuery.sortKey(forName: $0) < DealerQuery.sortKey(forName: $1) } == [
                "Alpha", "«Альфа»", "бета", "ёлка", "Ель", "Жук", "Яблоко",
            ])
    }
}
