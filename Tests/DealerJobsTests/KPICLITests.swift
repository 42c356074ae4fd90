import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd kpi targets import` and `dealerd kpi report` as the head of sales runs them.
@Suite("KPI targets and reports from the command line")
struct KPICLITests {
    @Test(arguments: Backend.available)
    func targetsLoadAllOrNothingAndTheReportShowsTheCard(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let today = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow") ?? .gmt)
        let month = PlanPeriod.month(of: today)
        try await database.withStore { (store: Store) async throws in
            let anna = try await store.createManager(ManagerDraft(name: "Анна Петрова", email: "anna@example.ru", role: .existingClients), by: .cli)
            let dealer = try await store.createDealer(.sample(code: "CLI-K", managerID: anna.id), by: testActor)
            _ = try await store.recordLedgerEntries(
                [
                    (
                        .id(dealer.id),
                        LedgerEntryDraft(externalID: "K-1", kind: "shipment", documentNumber: "1", documentDate: today.iso, amount: "1500000.00")
                    )
                ],
                correcting: false, defaults: CreditDefaults(), today: today, prefix: { _ in "" }, by: testActor)
        }
        let folder = FileManager.default.temporaryDirectory
        let good = folder.appendingPathComponent("targets-\(UUID().uuidString).csv")
        let bad = folder.appendingPathComponent("targets-\(UUID().uuidString).csv")
        defer {
            try? FileManager.default.removeItem(at: good)
            try? FileManager.default.removeItem(at: bad)
        }
        try Data("E-mail;Период;Показатель;Цель\nanna@example.ru;\(month);sales_volume;3 000 000,00\n".utf8).write(to: good)
        try Data("E-mail;Период;Показатель;Цель\nanna@example.ru;\(month);sales;1\nnobody@example.ru;\(month);growth;5\n".utf8).write(to: bad)

        let refused = try WebhooksCLITests.dealerd(["kpi", "targets", "import", bad.path], database: database)
        #expect(refused.status == 2 && refused.output.contains("line 2: kpi: not a KPI"), "\(refused.output)")
        let unknown = Data("E-mail;Период;Показатель;Цель\nnobody@example.ru;\(month);growth;5\n".utf8)
        try unknown.write(to: bad)
        let stranger = try WebhooksCLITests.dealerd(["kpi", "targets", "import", bad.path], database: database)
        #expect(stranger.status == 2 && stranger.output.contains("line 2: no manager with the e-mail nobody@example.ru"), "\(stranger.output)")
        let stored = try WebhooksCLITests.dealerd(["kpi", "targets", "import", good.path], database: database)
        #expect(stored.status == 0 && stored.output.contains("1 targets stored"), "\(stored.output) \(stored.errors)")

        // 1 500 000 of the own 3 000 000 target is 50 %, under the 70 % threshold: no sales points.
        let card = try WebhooksCLITests.dealerd(["kpi", "report", "--manager", "anna@example.ru"], database: database)
        #expect(card.status == 0, "\(card.errors)")
        #expect(card.output.contains("Анна Петрова — Менеджер по работе с действующими клиентами, \(month)"))
        #expect(card.output.contains("Объём продаж\t35\t3000000\t1500000\t50\t0\n"), "\(card.output)")
        let csv = try WebhooksCLITests.dealerd(["kpi", "report", "--format", "csv"], database: database)
        #expect(csv.status == 0 && csv.output.hasPrefix("\u{FEFF}МЕСТО;МЕНЕДЖЕР;E-MAIL;СХЕМА;ДИЛЕРОВ;БАЛЛЫ;ПРЕМИЯ, ₽;ПРОГНОЗ ПРЕМИИ, ₽\r\n"))
        #expect(csv.output.contains("1;Анна Петрова;anna@example.ru;"))
        let ageing = try WebhooksCLITests.dealerd(["receivables", "ageing", "--group-by", "manager", "--format", "csv"], database: database)
        #expect(ageing.status == 0, "\(ageing.errors)")
        #expect(ageing.output.contains("КОД;ДИЛЕР;МЕНЕДЖЕР;САЛЬДО;НЕ НАСТУПИЛ СРОК;1–30;31–60;61–90;БОЛЕЕ 90;ПРОСРОЧЕНО\r\n"))
        #expect(ageing.output.contains("CLI-K;Альфа Моторс;Анна Петрова;1500000,00;1500000,00;0,00;0,00;0,00;0,00;0,00\r\n"), "\(ageing.output)")
        #expect(ageing.output.contains("ВСЕГО;;1;1500000,00;"))
        // The month before is closed by hand and by the job; the second close finds nothing changed.
        let previous = month.previous
        let closed = try WebhooksCLITests.dealerd(["kpi", "close", "--period", previous.description], database: database)
        #expect(
            closed.status == 0 && closed.output.contains("\(previous): 1 scorecards: 1 closed, 0 revised, 0 unchanged"),
            "\(closed.output) \(closed.errors)")
        let job = try WebhooksCLITests.dealerd(["jobs", "run", "kpi-close"], database: database)
        #expect(job.status == 0, "\(job.output) \(job.errors)")
        let records = try await database.withStore { (store: Store) async throws in try await store.closedScorecards(period: previous) }
        #expect(records.map(\.version) == [1], "the job found the card unchanged")
        let running = try WebhooksCLITests.dealerd(["kpi", "close", "--period", month.description], database: database)
        #expect(running.status == 65 && running.errors.contains("has not ended yet"))
        let nobody = try WebhooksCLITests.dealerd(["kpi", "report", "--manager", "x@example.ru"], database: database)
        #expect(nobody.status == 64 && nobody.errors.contains("no manager x@example.ru"))
    }
}
