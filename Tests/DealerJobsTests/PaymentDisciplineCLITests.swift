import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd receivables discipline` as the accountant runs it before a call about late payments.
@Suite("Payment discipline from the command line")
struct PaymentDisciplineCLITests {
    @Test(arguments: Backend.available)
    func aDealersMonthsAsATableAndAsCSVForExcel(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            let dealer = try await store.createDealer(.sample(code: "CLI-D"), by: testActor)
            let drafts = [
                LedgerEntryDraft(
                    externalID: "S1", kind: "shipment", documentNumber: "S1", documentDate: "2026-10-01", amount: "100000.00", dueDate: "2026-10-31"),
                LedgerEntryDraft(externalID: "P1", kind: "payment", documentNumber: "P1", documentDate: "2026-11-10", amount: "40000.00"),
            ]
            _ = try await store.recordLedgerEntries(
                drafts.map { (.id(dealer.id), $0) }, correcting: false, defaults: CreditDefaults(),
                today: CivilDate(year: 2026, month: 12, day: 1) ?? .init(daysSinceEpoch: 0), prefix: { _ in "" }, by: testActor)
        }
        let table = try WebhooksCLITests.dealerd(
            ["receivables", "discipline", "CLI-D", "--from", "2026-10-01", "--to", "2026-11-30"], database: database)
        #expect(table.status == 0, "\(table.errors)")
        #expect(table.output.hasPrefix("Платёжная дисциплина: CLI-D Альфа Моторс, 01.10.2026–30.11.2026, RUB\n"), "\(table.output)")
        // October: 100 000 sold, all owed, DSO 31. November: 40 000 paid 10 days late, no sales.
        #expect(table.output.contains("октябрь 2026\t01.10.2026\t31.10.2026\t100000.00\t0.00\t100000.00\t31\t—\t—\t0\n"), "\(table.output)")
        #expect(table.output.contains("ноябрь 2026\t01.11.2026\t30.11.2026\t0.00\t40000.00\t60000.00\t—\t0\t10\t10\n"), "\(table.output)")
        // 60 000 × 61 / 100 000 = 36.6 days.
        #expect(table.output.contains("ИТОГО\t01.10.2026\t30.11.2026\t100000.00\t40000.00\t60000.00\t36.6\t0\t10\t10\n"), "\(table.output)")

        let csv = try WebhooksCLITests.dealerd(
            ["receivables", "discipline", "CLI-D", "--from", "2026-10-01", "--to", "2026-11-30", "--format", "csv"], database: database)
        #expect(csv.status == 0 && csv.output.hasPrefix("\u{FEFF}"), "\(csv.errors)")
        #expect(csv.output.contains("ИТОГО;01.10.2026;30.11.2026;100000,00;40000,00;60000,00;36,6;0;10;10\r\n"), "\(csv.output)")

        let backwards = try WebhooksCLITests.dealerd(
            ["receivables", "discipline", "CLI-D", "--from", "2026-12-01", "--to", "2026-11-30"], database: database)
        #expect(backwards.status == 64 && backwards.errors.contains("--to: on or after --from (2026-12-01)"), "\(backwards.errors)")
        let unknown = try WebhooksCLITests.dealerd(["receivables", "discipline", "NOPE"], database: database)
        #expect(unknown.status != 0 && unknown.errors.contains("NOPE"), "\(unknown.errors)")
    }
}
