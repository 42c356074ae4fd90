import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The console in a real browser: chromium with chromium-driver, driven by Selenium from
/// `Tests/Fixtures/console/console_walk.py`, against the real binary on each database. The
/// accounts come from `dealerd user create` as an operator makes them, the expected figures from
/// the API; the walk signs in, checks the board and the cabinet against them, confirms an act,
/// is refused another dealer's act, and leaves screenshots and axe-core reports in the artifacts.
///
/// `.ci/run` installs the browser and sets `DEALERD_TEST_REQUIRE_CHROMIUM=1`: there a missing
/// browser or Selenium fails the test; elsewhere the test is skipped and says why.
@Suite("The console in a real browser")
struct ConsoleBrowserTests {
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let python = ProcessInfo.processInfo.environment["DEALERD_TEST_PYTHON"] ?? "python3"

    static var ready: Bool {
        guard HeadlessChromium.executable != nil, chromedriver != nil else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import selenium"]
        probe.standardError = FileHandle.nullDevice
        probe.standardOutput = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test(arguments: Backend.available)
    func peopleWalkTheirPagesInChromium(_ backend: Backend) async throws {
        guard Self.ready else {
            if HeadlessChromium.required {
                Issue.record("chromium, chromium-driver and Selenium are required here (DEALERD_TEST_REQUIRE_CHROMIUM=1)")
            } else {
                print("skipped: chromium, chromium-driver or Selenium (scripts/test's venv) is missing")
            }
            return
        }
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let binary = try ReplicaProcess.binary()
        let port = try freePort()
        let seeded = try await database.withStore { store in try await Self.seed(store) }
        var environment = ProcessInfo.processInfo.environment
        switch database.url {
        case .postgres(let text): environment["DEALERD_DATABASE_URL"] = text
        case .sqliteFile(let path): environment["DEALERD_DATABASE_URL"] = "sqlite://" + path
        case .sqliteMemory: Issue.record("the browser walk needs a database both processes open")
        }
        environment["DEALERD_HTTP_PORT"] = String(port)
        environment["DEALERD_LOG_LEVEL"] = "warning"

        // The accounts, as an operator makes them: the CLI prints the one-time link.
        let headLink = try await Self.cli(
            binary, ["user", "create", "--email", "irina@example.ru", "--name", "Ирина Петрова", "--role", "admin"], environment)
        let dealerLink = try await Self.cli(
            binary, ["user", "create", "--email", "buh@alpha.ru", "--name", "Ольга Смирнова", "--role", "dealer", "--dealer", "ALPHA"],
            environment)
        let managerLink = try await Self.cli(
            binary, ["user", "create", "--email", "anna@example.ru", "--name", "Анна Иванова", "--role", "manager", "--manager", "anna@example.ru"],
            environment)
        #expect(headLink.hasPrefix("http://127.0.0.1:\(port)/welcome/"), "\(headLink)")

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve"]
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        var ready = ""
        for _ in 0..<300 where !ready.contains(" 200 ") {
            try await Task.sleep(for: .milliseconds(100))
            ready = (try? await offThePool { try LoopbackHTTP.get(port: port, path: "/readyz") }) ?? ""
        }
        try #require(ready.contains(" 200 "), "the server did not become ready")

        // What the API says, which the pages must show.
        func api(_ path: String) async throws -> JSONValue {
            let answer = try await offThePool { try LoopbackHTTP.get(port: port, path: path, bearer: seeded.adminKey) }
            let body = answer.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            return try DealerJSON.decoder().decode(JSONValue.self, from: Data(body.utf8))
        }
        var totals: [String: JSONValue] = [:]
        for total in try await api("/v1/receivables?limit=1")["totals"]?.arrayItems ?? [] {
            guard case .string(let currency) = total["currency"], case .string(let balance) = total["balance"],
                case .string(let overdue) = total["overdue"]
            else { continue }
            totals[currency] = .object(["balance": .string(Self.rub(balance)), "overdue": .string(Self.rub(overdue))])
        }
        let breached = try await api("/v1/receivables?state=breached")["items"]?.arrayItems.count ?? -1
        let accredited = try await api("/v1/dealers?status=accredited")["items"]?.arrayItems.count ?? -1
        let ageing = try await api("/v1/reports/ageing")["total"]?["buckets"]?["total"]
        let own = try await api("/v1/dealers/\(seeded.alpha)/receivables")
        let scorecard = try await api("/v1/managers/\(seeded.anna)/scorecard")
        let funnel = try await api("/v1/funnel?manager=\(seeded.anna)")
        func count(_ value: JSONValue?) -> String { if case .number(let number)? = value { "\(number)" } else { "?" } }
        func percent(_ value: JSONValue?) -> String {
            if case .number(let number)? = value { "\(number)".replacingOccurrences(of: ".", with: ",") + " %" } else { "?" }
        }
        func figure(_ value: JSONValue?) -> String { if case .string(let text)? = value { Self.rub(text) } else { "?" } }

        let artifacts = try TestArtifacts.directory().appendingPathComponent("console")
        let spec: JSONValue = .object([
            "base": .string("http://127.0.0.1:\(port)"), "backend": .string(backend.rawValue), "artifacts": .string(artifacts.path),
            "chromium": .string(HeadlessChromium.executable ?? ""), "chromedriver": .string(Self.chromedriver ?? ""),
            "require_axe": .bool(HeadlessChromium.required),
            "head": .object([
                "link": .string(headLink), "email": .string("irina@example.ru"), "password": .string("Ветер-над-Волгой-7"),
            ]),
            "manager": .object([
                "link": .string(managerLink), "password": .string("Анна-продаёт-лучше-всех-1"), "bonus": .string(figure(scorecard["bonus"])),
                "funnel": .object([
                    "deals-in-work": .string(count(funnel["in_work"])), "deals-won": .string(count(funnel["won"])),
                    "win-rate": .string(percent(funnel["win_rate_percent"])), "average-deal": .string(figure(funnel["average_deal"])),
                ]),
            ]),
            "dealer": .object([
                "link": .string(dealerLink), "password": .string("Дилер-Альфа-на-связи-1"), "act_number": .string(seeded.alphaActNumber),
                "other_act": .string(seeded.betaAct),
                "expected": .object([
                    "balance": .string(figure(own["balance"])), "limit": .string(figure(own["limit"])),
                    "available": .string(figure(own["available"])), "overdue": .string(figure(own["overdue"])),
                ]),
            ]),
            "expected": .object([
                "totals": .object(totals), "breached": .number(Decimal(breached)), "accredited": .number(Decimal(accredited)),
                "ageing_total": .string(figure(ageing)),
            ]),
        ])
        let specFile = FileManager.default.temporaryDirectory.appendingPathComponent("console-walk-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: specFile) }
        try DealerJSON.encoder().encode(spec).write(to: specFile)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/console/console_walk.py")
        let (status, output) = try await offThePool { try Self.run(Self.python, [script.path, specFile.path], timeout: 300) }
        #expect(status == 0, "the browser walk failed on \(backend.rawValue): \(output)")
        #expect(output.contains("console walk: ok"), "\(output)")
    }

    struct Seeded: Sendable {
        var adminKey: String
        var alpha: String
        var anna: String
        var alphaActNumber: String
        var betaAct: String
    }

    /// Two accredited dealers with last month's shipments, ALPHA over its limit, and their acts.
    static func seed(_ store: Store) async throws -> Seeded {
        let anna = try await store.createManager(
            ManagerDraft(name: "Анна Иванова", email: "anna@example.ru", role: .existingClients), by: testActor)
        let alpha = try await store.createAccreditedDealer(DealerDraft.sample(code: "ALPHA", name: "Альфа Моторс", managerID: anna.id))
        let beta = try await store.createAccreditedDealer(DealerDraft.sample(code: "BETA", name: "Бета Трак", taxID: KnownINN.organisations[1]))
        let lastMonth = PlanPeriod.month(of: store.calendar.today).previous
        let items: [(dealer: DealerReference, draft: LedgerEntryDraft)] = [
            (
                .code("ALPHA"),
                LedgerEntryDraft(
                    externalID: "A-1", kind: "shipment", documentNumber: "УПД-101", documentDate: lastMonth.firstDay.iso, amount: "1234567.89")
            ),
            (
                .code("ALPHA"),
                LedgerEntryDraft(
                    externalID: "A-2", kind: "payment", documentNumber: "ПП-7", documentDate: lastMonth.firstDay.adding(days: 9).iso, amount: "100000"
                )
            ),
            (
                .code("BETA"),
                LedgerEntryDraft(
                    externalID: "B-1", kind: "shipment", documentNumber: "УПД-202", documentDate: lastMonth.firstDay.iso, amount: "500000")
            ),
        ]
        _ = try await store.recordLedgerEntries(
            items, correcting: false, defaults: CreditDefaults(), today: store.calendar.today, prefix: { "\($0)" }, by: testActor)
        _ = try await store.setCreditPolicy(
            dealerID: alpha.id, CreditPolicyDraft(limit: "1000000", paymentTermDays: 14, reason: "лимит по договору"), defaults: CreditDefaults(),
            today: store.calendar.today, by: testActor)
        let settings = ActSettings(company: ActParty(name: "ООО «Производитель»", inn: KnownINN.organisations[2], kpp: nil))
        _ = try await store.generateActs(from: lastMonth.firstDay, to: lastMonth.lastDay, reason: .manual, settings: settings)
        let acts = try await store.acts(ActQuery(limit: 10)).items
        // Anna's deals from the CRM today: one at the proposal, two won, one lost.
        let today = store.calendar.today.iso
        _ = try await store.recordDeals(
            [
                DealDraft(
                    externalID: "CRM-1", dealer: .code("ALPHA"), manager: "anna@example.ru", amount: "1250000", stage: "proposal",
                    openedOn: today),
                DealDraft(
                    externalID: "CRM-2", prospect: "ООО «Вектор»", manager: "anna@example.ru", amount: "800000", stage: "contract",
                    status: "won", openedOn: today, closedOn: today),
                DealDraft(
                    externalID: "CRM-3", dealer: .code("ALPHA"), manager: "anna@example.ru", amount: "450000.50", stage: "contract",
                    status: "won", openedOn: today, closedOn: today),
                DealDraft(
                    externalID: "CRM-4", prospect: "ИП Громов", manager: "anna@example.ru", amount: "300000", stage: "negotiation",
                    status: "lost", openedOn: today, closedOn: today, reason: "выбрали конкурента"),
            ], settings: DealSettings(), currency: .rub, prefix: { _ in "" }, by: testActor)
        let key = try await store.createAPIKey(name: "browser-test", role: .admin, by: .cli).secret
        return Seeded(
            adminKey: key, alpha: alpha.id.lowercased, anna: anna.id.lowercased, alphaActNumber: acts.first { $0.dealerID == alpha.id }?.number ?? "",
            betaAct: acts.first { $0.dealerID == beta.id }?.id.lowercased ?? "")
    }

    /// `1234567.89` as the pages write it: `1 234 567,89 ₽` (the browser reads the no-break spaces as spaces).
    static func rub(_ decimal: String) -> String {
        guard let money = try? Money(parsing: decimal, currency: .rub) else { return decimal }
        return money.russianText.replacingOccurrences(of: "\u{00A0}", with: " ") + " ₽"
    }

    static func cli(_ binary: String, _ arguments: [String], _ environment: [String: String]) async throws -> String {
        let (status, output) = try await offThePool { try run(binary, arguments, environment: environment, timeout: 60) }
        try #require(status == 0, "dealerd \(arguments.joined(separator: " ")): \(output)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a program to its end (SIGKILL past `timeout`): its status and what it printed.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: TimeInterval
    ) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }
}

extension JSONValue {
    fileprivate var arrayItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
