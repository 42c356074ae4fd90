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
        #expect(card.output.contains("Объём продаж\t35\t3000000\t1500000\t50\t0\tdealerd\n"), "\(card.output)")
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

    @Test(arguments: Backend.available)
    func callsFromTheTelephonyLoadAllOrNothingAndTheCardNamesTheirSource(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let today = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow") ?? .gmt)
        let month = PlanPeriod.month(of: today)
        try await database.withStore { (store: Store) async throws in
            _ = try await store.createManager(ManagerDraft(name: "Галина Ершова", email: "galina@example.ru", role: .call), by: .cli)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mango-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }

        // A computed KPI and a reach over 100 % are refused, each by line and column; nothing is stored.
        try Data("E-mail;Период;Показатель;Значение\ngalina@example.ru;\(month);sales_volume;5\ngalina@example.ru;\(month);reach_rate;101\n".utf8)
            .write(to: file)
        let refused = try WebhooksCLITests.dealerd(["kpi", "values", "import", file.path], database: database)
        #expect(refused.status == 2 && refused.output.contains("rejected, nothing stored"), "\(refused.output)")
        #expect(refused.output.contains("line 2: kpi: sales_volume is computed by dealerd"), "\(refused.output)")
        #expect(refused.output.contains("line 3: value: a percent from 0 to 100"), "\(refused.output)")
        let stored = try await database.withStore { (store: Store) async throws in try await store.kpiValues(period: month, managerID: nil) }
        #expect(stored.isEmpty)

        // 960 calls of 1 200 (80 %: 24 points), reach 50 of 60 (83.3 %: 16.66), no contacts nor CSI yet.
        try Data("E-mail;Период;Показатель;Значение\ngalina@example.ru;\(month);calls;960\ngalina@example.ru;\(month);reach_rate;50\n".utf8)
            .write(to: file)
        let loaded = try WebhooksCLITests.dealerd(["kpi", "values", "import", file.path, "--source", "Манго Офис"], database: database)
        #expect(loaded.status == 0 && loaded.output.contains("2 values stored"), "\(loaded.output) \(loaded.errors)")
        let card = try WebhooksCLITests.dealerd(["kpi", "report", "--manager", "galina@example.ru"], database: database)
        #expect(card.status == 0, "\(card.errors)")
        #expect(card.output.contains("Звонки\t30\t1200\t960\t80\t24\tМанго Офис\n"), "\(card.output)")
        #expect(card.output.contains("Дозвон\t20\t60\t50\t83.3\t16.66\tМанго Офис\n"), "\(card.output)")
        #expect(card.output.contains("Контакты с ЛПР\t35\t150\t\t\t0\tнет данных\n"), "\(card.output)")
        // 40.66 points × 25 000 ₽ ÷ 100.
        #expect(card.output.contains("ПРЕМИЯ, ₽\t\t\t\t\t10165.00"), "\(card.output)")
    }
}
