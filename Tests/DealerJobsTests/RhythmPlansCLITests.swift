import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd rhythm report` and `dealerd plans import` as a manager runs them.
@Suite("Rhythm and plans from the command line")
struct RhythmPlansCLITests {
    @Test(arguments: Backend.available)
    func theRhythmReportOpensInExcelAndThePlanFileLoadsAllOrNothing(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let today = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
        try await database.withStore { (store: Store) async throws in
            for (index, (code, status, lastDaysAgo)) in [
                ("CLI-A", DealerStatus.accredited, 3), ("CLI-B", .accredited, 30), ("CLI-C", .suspended, 40),
            ].enumerated() {
                let dealer = try await store.createAccreditedDealer(
                    DealerDraft.sample(code: code, name: "Дилер \(code)", taxID: KnownINN.organisations[index]))
                if status == .suspended { _ = try await store.changeDealerStatus(id: dealer.id, to: .suspended, reason: "просрочка", by: testActor) }
                let items = (0..<6).map { week in
                    (
                        dealer: DealerReference(code),
                        draft: LedgerEntryDraft(
                            externalID: "\(code)-\(week)", kind: "shipment", documentNumber: "\(week)",
                            documentDate: today.adding(days: -lastDaysAgo - 7 * week).iso, amount: "1000.00")
                    )
                }
                _ = try await store.recordLedgerEntries(
                    items, correcting: false, defaults: CreditDefaults(), today: today, prefix: { "entries[\($0)]" }, by: testActor)
            }
        }
        let csv = try WebhooksCLITests.dealerd(["rhythm", "report", "--format", "csv"], database: database)
        #expect(csv.status == 0, "\(csv.errors)")
        #expect(csv.output.hasPrefix("\u{FEFF}CODE;DEALER;REGION;STATUS;EXPECTED DAYS;SOURCE;REGULARITY;LAST SHIPMENT;NEXT EXPECTED;DAYS LATE\r\n"))
        let rows = csv.output.dropFirst().split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.dropFirst().map { $0[0] } == ["CLI-B", "CLI-A"], "most days late first; the suspended dealer is not reported")
        #expect(rows[1][3] == "broken" && rows[1][4] == "7" && rows[1][6] == "1" && rows[1][9] == "23")
        #expect(rows[2][3] == "on_rhythm" && rows[2][8] == today.adding(days: 4).iso)
        let late = try WebhooksCLITests.dealerd(["rhythm", "report", "--status", "late"], database: database)
        #expect(late.status == 0 && late.output.split(separator: "\n").count == 1, "CLI-B is broken, not late")

        let folder = FileManager.default.temporaryDirectory
        let good = folder.appendingPathComponent("plan-\(UUID().uuidString).csv")
        let bad = folder.appendingPathComponent("plan-\(UUID().uuidString).csv")
        defer {
            try? FileManager.default.removeItem(at: good)
            try? FileManager.default.removeItem(at: bad)
        }
        try Data("Код дилера;2027-01;2027-02;2027-03\nCLI-A;100000;100000;120000\nCLI-B;50000;;\n".utf8).write(to: good)
        try Data("Код дилера;2027-01\nCLI-A;сто\nCLI-Z;1\n".utf8).write(to: bad)
        let refused = try WebhooksCLITests.dealerd(["plans", "import", bad.path], database: database)
        #expect(refused.status == 2)
        #expect(refused.output.contains("line 2: amount:") && refused.output.contains("line 3: dealer_code: no dealer CLI-Z"))
        let dry = try WebhooksCLITests.dealerd(["plans", "import", good.path, "--dry-run"], database: database)
        #expect(dry.status == 0 && dry.output.contains("4 plans for 2 dealers would be stored"))
        let stored = try WebhooksCLITests.dealerd(["plans", "import", good.path], database: database)
        #expect(stored.status == 0 && stored.output.hasSuffix("stored 4 plans for 2 dealers\n"))
        let plans = try await database.withStore { (store: Store) async throws in
            try await store.plans(dealerID: try await store.dealerID(for: DealerReference("CLI-A")), year: 2027)
        }
        #expect(plans.map(\.amount.decimalString) == ["100000.00", "100000.00", "120000.00"])
    }
}
