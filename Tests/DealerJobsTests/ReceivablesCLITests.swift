import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd receivables report` as an accountant runs it.
@Suite("The receivables report")
struct ReceivablesCLITests {
    @Test(arguments: Backend.available)
    func theReportListsDealersWithTotalsAsATableAndAsCSVForExcel(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            let today = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
            let dealer = try await store.createDealer(.sample(code: "REP-1", name: "Отчётный"), by: testActor)
            _ = try await store.setCreditPolicy(
                dealerID: dealer.id, CreditPolicyDraft(limit: "100000", reason: "договор"), defaults: CreditDefaults(), today: today, by: testActor)
            _ = try await store.recordLedgerEntries(
                [(.id(dealer.id), LedgerEntryDraft(externalID: "D1", kind: "shipment", documentNumber: "1", documentDate: today.iso, amount: "125000.50"))],
                correcting: false, defaults: CreditDefaults(), today: today, prefix: { _ in "" }, by: testActor)
        }
        let table = try WebhooksCLITests.dealerd(["receivables", "report"], database: database)
        #expect(table.status == 0)
        #expect(table.output.contains("REP-1\tОтчётный\tМосква\tRUB\t125000.50\t100000.00\t125\t0.00\t0\tbreached"))
        #expect(table.output.contains("TOTAL\t1 dealers"))
        let csv = try WebhooksCLITests.dealerd(["receivables", "report", "--format", "csv"], database: database)
        #expect(csv.output.hasPrefix("\u{FEFF}CODE;DEALER;"))
        #expect(csv.output.contains("REP-1;Отчётный;Москва;RUB;125000,50;100000,00;125;0,00;0;breached\r\n"))
        let bad = try WebhooksCLITests.dealerd(["receivables", "report", "--sort", "mood"], database: database)
        #expect(bad.status == 64)
    }
}
