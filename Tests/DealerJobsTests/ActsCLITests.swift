import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// `dealerd acts …` as an accountant runs it.
@Suite("Reconciliation acts from the command line")
struct ActsCLITests {
    @Test(arguments: Backend.available)
    func anAccountantMakesListsAndPrintsTheActsOfLastMonth(_ backend: Backend) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let today = CivilDate(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
        let lastMonth = PlanPeriod.month(of: today).previous
        try await database.withStore { (store: Store) async throws in
            try await store.createAccreditedDealer(DealerDraft.sample(code: "ACT-1"))
            _ = try await store.recordLedgerEntries(
                [
                    (
                        DealerReference("ACT-1"),
                        LedgerEntryDraft(
                            externalID: "РН-1", kind: "shipment", documentNumber: "РН-1", documentDate: lastMonth.firstDay.iso, amount: "1234.50")
                    )
                ],
                correcting: false, defaults: CreditDefaults(), today: today, prefix: { "entries[\($0)]" }, by: testActor)
        }
        let made = try WebhooksCLITests.dealerd(["acts", "generate", "--period", lastMonth.description], database: database)
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.output.hasPrefix("\(lastMonth): 1 acts made (0 new versions), 0 unchanged"))
        let again = try WebhooksCLITests.dealerd(["acts", "generate", "--period", lastMonth.description], database: database)
        #expect(again.output.hasPrefix("\(lastMonth): 0 acts made (0 new versions), 1 unchanged"))
        let running = try WebhooksCLITests.dealerd(["acts", "generate", "--period", PlanPeriod.month(of: today).description], database: database)
        #expect(running.status == 64 && running.errors.contains("has not ended yet"))

        let list = try WebhooksCLITests.dealerd(["acts", "list", "--period", lastMonth.description], database: database)
        let lines = list.output.split(separator: "\n")
        #expect(lines.count == 2 && lines[1].hasPrefix("АС-\(lastMonth.description)-000001\t"))
        #expect(lines[1].hasSuffix("\tgenerated\t1234.50"))
        let id = String(lines[1].split(separator: "\t")[1])
        let csv = try WebhooksCLITests.dealerd(["acts", "show", id, "--format", "csv"], database: database)
        #expect(csv.output.hasPrefix("\u{FEFF}Акт сверки № АС-") && csv.output.contains("Реализация (акт, накладная) № РН-1"))
        let html = try WebhooksCLITests.dealerd(["acts", "show", id, "--format", "html"], database: database)
        #expect(
            html.output.hasPrefix("<!DOCTYPE html>")
                && html.output.contains("задолженность в пользу ООО «Производитель» составляет 1\u{A0}234,50 руб."))
        #expect(try Self.wellFormedHTML(html.output) == "ok")
        let json = try WebhooksCLITests.dealerd(["acts", "show", id], database: database)
        #expect(try DealerJSON.decoder().decode(JSONValue.self, from: Data(json.output.utf8))["ours"]?["closing"] == .string("1234.50"))
    }

    /// `dealerd config check` shows the acts' settings and says what acts lack before the 1st does.
    @Test func configCheckNamesWhatTheActsLack() async throws {
        let database = try await TestDatabase.create(.sqlite)
        defer { database.remove() }
        let bare = try WebhooksCLITests.dealerd(["config", "check"], database: database)
        #expect(bare.status == 0 && bare.output.contains("reconciliation:\n  number_pattern: \"АС-{YYYY}-{MM}-{SEQ:6}\""))
        #expect(bare.errors.contains("company.inn and company.kpp are not both set"), "\(bare.errors)")
        #expect(bare.errors.contains("also needs reconciliation.edo.ogrn, reconciliation.edo.phone or .email, reconciliation.edo.signatory"))

        let complete = try WebhooksCLITests.dealerd(
            ["config", "check"], database: database,
            environment: [
                "DEALERD_COMPANY_LEGAL_NAME": "ООО «Производитель»", "DEALERD_COMPANY_INN": "7707083893", "DEALERD_COMPANY_KPP": "773601001",
                "DEALERD_RECONCILIATION_EDO_OGRN": "1027700132195", "DEALERD_RECONCILIATION_EDO_EMAIL": "buh@maker.example",
                "DEALERD_RECONCILIATION_EDO_SIGNATORY_SURNAME": "Иванова", "DEALERD_RECONCILIATION_EDO_SIGNATORY_NAME": "Мария",
            ])
        #expect(complete.status == 0 && complete.output.contains("  inn: \"7707083893\"\n  kpp: \"773601001\""))
        #expect(complete.output.contains("    signatory: \"Иванова Мария\""))
        #expect(!complete.errors.contains("note:"), "\(complete.errors)")
    }

    /// Checks the page's structure with Python's HTML parser: every element closed, in order, one
    /// `<h1>`, the act's table with both sides' headers and a signature table. "ok" or what is wrong.
    static func wellFormedHTML(_ html: String) throws -> String {
        let script = """
            import sys
            from html.parser import HTMLParser
            VOID = {"meta", "br", "hr", "img", "input", "link", "col"}
            class Check(HTMLParser):
                def __init__(self):
                    super().__init__(); self.stack = []; self.problems = []; self.count = {}
                def handle_starttag(self, tag, attrs):
                    self.count[tag] = self.count.get(tag, 0) + 1
                    if tag not in VOID: self.stack.append(tag)
                def handle_endtag(self, tag):
                    if not self.stack or self.stack[-1] != tag: self.problems.append("unexpected </%s> at %s" % (tag, self.getpos()))
                    else: self.stack.pop()
            c = Check(); c.feed(sys.stdin.read()); c.close()
            if c.stack: c.problems.append("unclosed: " + " ".join(c.stack))
            if c.count.get("h1") != 1: c.problems.append("h1 count %s" % c.count.get("h1"))
            if c.count.get("table", 0) < 2: c.problems.append("tables %s" % c.count.get("table"))
            if c.count.get("th", 0) < 10: c.problems.append("column headers %s" % c.count.get("th"))
            print("; ".join(c.problems) or "ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(html.utf8))
        try input.fileHandleForWriting.close()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
