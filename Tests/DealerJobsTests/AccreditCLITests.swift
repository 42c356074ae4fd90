import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

/// `dealerd accredit evaluate` as a manager runs it with a prospect on the phone.
@Suite("Evaluating a prospect from the command line")
struct AccreditCLITests {
    static func factsFile(_ json: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("applicant-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        return file
    }

    @Test
    func theTableIsReadableAndTheExitStatusIsTheDecision() async throws {
        let database = try await TestDatabase.create(.sqlite)
        defer { database.remove() }
        let strong = try Self.factsFile(
            #"""
            {"attributes": {"showroom_area_m2": 180, "sales_staff": 4, "years_in_business": 5, "annual_turnover_rub": 45000000,
                            "own_warehouse": true, "legal_form": "ООО"},
             "region": "Тверь", "segment": "cars",
             "documents": [{"kind": "registration_extract", "expires": "2099-03-01"}, {"kind": "bank_reference"}, {"kind": "dealer_agreement"}],
             "accredited_in_region_and_segment": 1}
            """#)
        defer { try? FileManager.default.removeItem(at: strong) }
        let run = try WebhooksCLITests.dealerd(["accredit", "evaluate", "--profile", "standard", "--facts", strong.path], database: database)
        #expect(run.status == 0)
        let golden = """
            profile standard 2026.1 — Стандартный дилер
            CRITERION               REQUIRED                                                             SEEN                                 RESULT   POINTS
            legal_form (knock-out)  one of ООО, АО, ИП                                                   ООО                                  met      10/10
            showroom                ≥ 150 м²                                                             180 м²                               met      20/20
            sales_staff             ≥ 3                                                                  4                                    met      15/15
            years_in_business       ≥ 2                                                                  5                                    met      10/10
            turnover                ≥ 30000000 ₽                                                         45000000 ₽                           met      15/15
            warehouse               yes                                                                  yes                                  met      10/10
            documents (knock-out)   registration_extract, bank_reference, dealer_agreement, not expired  all on file                          met      10/10
            territory               at most 3 accredited per region and segment                          1 accredited already in Тверь, cars  met      5/5
            payment_discipline      nothing overdue more than 30 days in 12 months                       —                                    no data  0/5
            score 95 of 100, pass mark 70: accredited (score 95 reaches the pass mark 70)

            """
        #expect(run.output == golden)

        let noForm = try Self.factsFile(#"{"attributes": {"showroom_area_m2": 500, "legal_form": "ПАО"}}"#)
        defer { try? FileManager.default.removeItem(at: noForm) }
        let rejected = try WebhooksCLITests.dealerd(
            ["accredit", "evaluate", "--profile", "standard", "--facts", noForm.path, "--format", "json"], database: database)
        #expect(rejected.status == 1)
        #expect(
            rejected.output.contains(#""decision":"rejected""#)
                && rejected.output.contains(#""explanation":"knock-out criterion legal_form is not met""#))

        let unknown = try Self.factsFile(#"{"attributes": {"legal_form": "АО"}}"#)
        defer { try? FileManager.default.removeItem(at: unknown) }
        let review = try WebhooksCLITests.dealerd(["accredit", "evaluate", "--profile", "standard", "--facts", unknown.path], database: database)
        #expect(review.status == 2, "no documents known: a knock-out without data needs review")

        let missingProfile = try WebhooksCLITests.dealerd(["accredit", "evaluate", "--profile", "gold", "--facts", unknown.path], database: database)
        #expect(missingProfile.status == 64 && missingProfile.errors.contains("profiles: premium, standard"))
    }

    /// The operator accredits a dealer on file, overrides a rejection with a reason, and reads the history.
    @Test(arguments: Backend.available)
    func anOperatorAccreditsADealerOverridesAndReadsTheHistory(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            var draft = DealerDraft.sample(code: "CLI-1")
            draft.status = .applicant
            _ = try await store.createDealer(draft, by: testActor)
        }
        // The sample card lacks staff, turnover and documents (a knock-out): rejected, back to prospect.
        let rejected = try WebhooksCLITests.dealerd(["accredit", "dealer", "CLI-1", "--profile", "standard"], database: database)
        #expect(rejected.status == 1, "\(rejected.errors)")
        #expect(rejected.output.hasPrefix("CLI-1: rejected under standard 2026.1\n"))
        #expect(rejected.output.contains("status applicant → prospect"))
        let again = try WebhooksCLITests.dealerd(["accredit", "dealer", "CLI-1", "--profile", "standard"], database: database)
        #expect(again.status == 65 && again.errors.contains("move it to applicant first"))
        try await database.withStore { (store: Store) async throws in
            let id = try await store.dealerID(for: DealerReference("CLI-1"))
            _ = try await store.changeDealerStatus(id: id, to: .applicant, reason: "повторная заявка", by: testActor)
        }
        let noReason = try WebhooksCLITests.dealerd(
            ["accredit", "dealer", "CLI-1", "--profile", "standard", "--override", "accredited"], database: database)
        #expect(noReason.status == 64 && noReason.errors.contains("override.reason"))
        let overridden = try WebhooksCLITests.dealerd(
            ["accredit", "dealer", "CLI-1", "--profile", "standard", "--override", "accredited", "--reason", "решение РОП", "--format", "json"],
            database: database)
        #expect(overridden.status == 0)
        let record = try DealerJSON.decoder().decode(JSONValue.self, from: Data(overridden.output.utf8))
        #expect(record["decision"] == .string("accredited") && record["evaluated_decision"] == .string("rejected"))
        #expect(record["override"]?["reason"] == .string("решение РОП") && record["decided_by"] == .string("cli"))
        let history = try WebhooksCLITests.dealerd(["accredit", "history", "CLI-1"], database: database)
        let lines = history.output.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("DECIDED\tPROFILE\tDECISION"))
        #expect(lines[1].contains("\taccredited\t") && lines[1].hasSuffix("\tрешение РОП"))
        #expect(lines[2].contains("\trejected\t") && lines[2].hasSuffix("\t-"))
    }

    /// Dealers accredited before accreditation became a decision only (here a row set by hand, as an
    /// old import would have left it) are listed for review; a dealer accredited by decision is not,
    /// and once the listed one is accredited by decision the list is empty.
    @Test(arguments: Backend.available)
    func theAuditListsDealersAccreditedWithoutADecision(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            try await store.createAccreditedDealer(.sample(code: "OK-1", name: "По решению", taxID: KnownINN.organisations[0]))
            let legacy = try await store.createDealer(.sample(code: "OLD-1", name: "Старый дилер", taxID: KnownINN.organisations[1]), by: testActor)
            try await store.database.transaction { sql in
                try await sql.raw("UPDATE dealers SET status = 'accredited', status_reason = 'загружен из 1С' WHERE id = \(bind: legacy.id)").run()
            }
        }
        let listed = try WebhooksCLITests.dealerd(["accredit", "audit"], database: database)
        #expect(listed.status == 0, "\(listed.errors)")
        let lines = listed.output.split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "CODE\tNAME\tSTATUS\tSINCE\tREASON", "\(listed.output)")
        #expect(lines.last?.hasPrefix("OLD-1\tСтарый дилер\taccredited\t") == true && lines.last?.hasSuffix("\tзагружен из 1С") == true)
        #expect(listed.errors.contains("1 dealer(s) accredited without a decision"))
        let decided = try WebhooksCLITests.dealerd(
            ["accredit", "dealer", "OLD-1", "--profile", "standard", "--override", "accredited", "--reason", "проверен РОП"], database: database)
        #expect(decided.status == 0, "\(decided.errors)")
        let clean = try WebhooksCLITests.dealerd(["accredit", "audit"], database: database)
        #expect(clean.output == "every accredited dealer has an accreditation decision on record\n")
    }
}
