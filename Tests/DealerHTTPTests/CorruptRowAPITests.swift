import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import SQLKit
import Testing

@testable import dealerd

/// A row that cannot be read back is reported and left out: the rest of the dealer, and the dealer
/// list, stay readable, instead of answering 500 until someone repairs the database by hand.
@Suite("Corrupt rows")
struct CorruptRowAPITests {
    @Test(arguments: Backend.available)
    func aCorruptRowIsReportedAndSkippedAndTheRestStaysReadable(_ backend: Backend) async throws {
        // Damage as a hand edit or a broken older version would, before the server starts (see
        // `APIHarness.run`): a date that is no date, an unknown currency, a status no version has.
        let prepare: @Sendable (Store) async throws -> [String: String] = { store in
            var made: [String: String] = [:]
            for index in 0..<2 {
                let dealer = try await store.createDealer(
                    .sample(code: "CR-\(index)", name: "Дилер \(index)", taxID: KnownINN.organisations[index]), by: .cli)
                made["dealer\(index)"] = dealer.id.lowercased
            }
            let dealer = try #require(UUID(uuidString: made["dealer0"] ?? ""))
            for number in ["CR-GOOD", "CR-BAD"] {
                let draft = LedgerEntryDraft(
                    externalID: number, kind: "shipment", documentNumber: "РН", documentDate: "2026-11-02", amount: "1000", currency: "RUB")
                _ = try await store.recordLedgerEntries(
                    [(.id(dealer), draft)], correcting: false, defaults: CreditDefaults(),
                    today: CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone),
                    prefix: { _ in "" }, by: .cli)
            }
            _ = try await store.addDocument(dealerID: dealer, DealerDocumentDraft(kind: "lease"), by: .cli)
            try await store.database.transaction { sql in
                try await sql.raw("UPDATE ledger_entries SET document_date = 'вчера', currency = 'XXX' WHERE external_id = 'CR-BAD'").run()
                try await sql.raw("UPDATE dealers SET status = 'bogus' WHERE code = 'CR-1'").run()
                try await sql.raw("UPDATE dealer_documents SET expires = '10000-01-01' WHERE kind = 'lease'").run()
            }
            return made
        }
        try await APIHarness.run(backend, registry: sharedRegistry, prepare: prepare) { api in
            let ids = [api.namedKeys["dealer0"] ?? "", api.namedKeys["dealer1"] ?? ""]
            let ledger = try await api.call(.get, "/v1/dealers/\(ids[0])/ledger")
            #expect(
                ledger.status == .ok && ledger.json["items"]?.array.compactMap { $0["external_id"]?.stringValue } == ["CR-GOOD"], "\(ledger.text)")
            let receivables = try await api.call(.get, "/v1/dealers/\(ids[0])/receivables")
            #expect(receivables.status == .ok && receivables.json["balance"]?.stringValue == "1000.00", "\(receivables.text.prefix(300))")
            let check = try await api.call(.post, "/v1/dealers/\(ids[0])/credit-check", as: .integration, json: #"{"amount": "10"}"#)
            #expect(check.status == .ok, "\(check.text.prefix(300))")
            let dealers = try await api.call(.get, "/v1/dealers")
            #expect(
                dealers.status == .ok && dealers.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["CR-0"],
                "\(dealers.text.prefix(300))")
            let documents = try await api.call(.get, "/v1/dealers/\(ids[0])/documents")
            #expect(documents.status == .ok, "\(documents.text.prefix(300))")
            let metrics = try await api.call(.get, "/metrics", as: nil)
            #expect(metrics.text.contains(#"dealerd_store_corrupt_rows{table="ledger_entries"}"#))
            #expect(metrics.text.contains(#"dealerd_store_corrupt_rows{table="dealers"}"#))
        }
    }
}
