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
                [
                    (
                        .id(dealer.id),
                        LedgerEntryDraft(externalID: "D1", kind: "shipment", documentNumber: "1", documentDate: today.iso, amount: "125000.50")
                    )
                ],
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

    @Test(arguments: Backend.available)
    func anAccountantImportsACSVFileChecksItFirstAndSeesRejectedLines(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let dealerID = try await database.withStore { (store: Store) async throws in
            try await store.createDealer(.sample(code: "CSV-1", name: "Импортный"), by: testActor).id
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = """
            Код дилера;Ид документа;Вид;Номер;Дата;Сумма
            CSV-1;A-1;Отгрузка;РН-1;01.11.2026;"10 000,00"
            CSV-1;A-2;Оплата;ПП-1;02.11.2026;2500
            CSV-1;A-3;Отгрузка;РН-2;03.11.2026;ноль

            """
        try Data(text.utf8).write(to: file)

        let dry = try WebhooksCLITests.dealerd(["ledger", "import", file.path, "--dry-run"], database: database)
        #expect(dry.status == 2, "a line is rejected")
        #expect(dry.output.contains("dry run, nothing written: 2 would be stored, 0 unchanged, 1 rejected"))
        #expect(dry.output.contains("line 4: amount:"))
        let nothing = try await database.withStore { (store: Store) async throws in
            try await store.ledgerEntries(dealerID: dealerID, page: PageRequest(limit: 500)).items
        }
        #expect(nothing.isEmpty)

        let run = try WebhooksCLITests.dealerd(["ledger", "import", file.path], database: database)
        #expect(run.status == 2)
        #expect(run.output.contains("stored 2, unchanged 0, rejected 1"))
        let stored = try await database.withStore { (store: Store) async throws in
            try await store.ledgerEntries(dealerID: dealerID, page: PageRequest(limit: 500)).items
        }
        #expect(stored.map(\.externalID).sorted() == ["A-1", "A-2"])

        try Data(text.replacingOccurrences(of: "ноль", with: "0,50").utf8).write(to: file)
        let fixed = try WebhooksCLITests.dealerd(["ledger", "import", file.path, "--format", "json"], database: database)
        #expect(fixed.status == 0)
        #expect(fixed.output.contains(#""created":1"#) && fixed.output.contains(#""unchanged":2"#))

        try Data("amount\n1\n".utf8).write(to: file)
        let unreadable = try WebhooksCLITests.dealerd(["ledger", "import", file.path], database: database)
        #expect(unreadable.status == 65 && unreadable.errors.contains("lacks the columns"))
    }
}
