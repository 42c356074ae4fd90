import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd deals funnel` as the head of sales runs it for the Monday meeting.
@Suite("The sales funnel from the command line")
struct DealsCLITests {
    @Test(arguments: Backend.available)
    func theFunnelOfAManagerAndOfTheDepartmentAsATableAndCSV(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        try await database.withStore { (store: Store) async throws in
            for (name, email) in [("Анна Петрова", "anna@example.ru"), ("Борис Орлов", "boris@example.ru")] {
                _ = try await store.createManager(ManagerDraft(name: name, email: email, role: .existingClients), by: .cli)
            }
            _ = try await store.recordDeals(
                [
                    DealDraft(
                        externalID: "C-1", prospect: "ООО «Вектор»", manager: "anna@example.ru", amount: "1000000", stage: "proposal",
                        openedOn: "2026-11-02"),
                    DealDraft(
                        externalID: "C-2", prospect: "ИП Громов", manager: "anna@example.ru", amount: "400000.50", stage: "contract", status: "won",
                        openedOn: "2026-11-03", closedOn: "2026-11-13"),
                    DealDraft(
                        externalID: "C-3", prospect: "ООО «Край»", manager: "boris@example.ru", amount: "250000", stage: "lead",
                        openedOn: "2026-11-04"),
                ], settings: DealSettings(), currency: .rub, prefix: { _ in "" }, by: testActor)
        }
        let anna = try WebhooksCLITests.dealerd(["deals", "funnel", "--period", "2026-11", "--manager", "anna@example.ru"], database: database)
        #expect(anna.status == 0, "\(anna.errors)")
        #expect(anna.output.hasPrefix("Воронка продаж: Анна Петрова, ноябрь 2026 (по 30.11.2026), RUB\n"), "\(anna.output)")
        // Both opened in November reached the proposal; one went on to the contract and the win.
        #expect(anna.output.contains("Коммерческое предложение\t1\t1000000.00\t2\t50\n"), "\(anna.output)")
        #expect(anna.output.contains("Договор\t0\t0.00\t1\t100\n") && anna.output.contains("ВЫИГРАНО\t1\t400000.50\t\t100\n"))
        #expect(anna.output.contains("ДНЕЙ ДО ПОБЕДЫ (МЕДИАНА)\t10\t"))
        let department = try WebhooksCLITests.dealerd(["deals", "funnel", "--period", "2026-11", "--format", "csv"], database: database)
        #expect(department.status == 0 && department.output.hasPrefix("\u{FEFF}Воронка продаж: отдел, ноябрь 2026"), "\(department.errors)")
        #expect(department.output.contains("ВСЕГО В РАБОТЕ;2;1250000,00;3;\r\n"), "\(department.output)")
        let nobody = try WebhooksCLITests.dealerd(["deals", "funnel", "--manager", "x@example.ru"], database: database)
        #expect(nobody.status == 65 && nobody.errors.contains("no manager x@example.ru"), "\(nobody.errors)")
        let bad = try WebhooksCLITests.dealerd(["deals", "funnel", "--period", "2026-13"], database: database)
        #expect(bad.status == 64 && bad.errors.contains("--period"))
    }
}
