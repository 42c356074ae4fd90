import DealerCore
import DealerJobs
import Foundation
import Testing

@testable import dealerd

@Suite("Notification rules and templates from Config/notifications")
struct NotificationConfigTests {
    @Test func theShippedRulesRouteWhatTheIssueAsksFor() async throws {
        let config = try await ConfigLoader.load(path: nil, environment: [:])
        let rules = Dictionary(uniqueKeysWithValues: config.notificationRules.map { ($0.name, $0) })
        #expect(rules["limit-breach"]?.audiences == [.manager, .headOfSales])
        #expect(rules["limit-warning"]?.audiences == [.manager])
        #expect(rules["overdue"]?.audiences == [.manager])
        #expect(rules["blocked-shipment"]?.urgent == true && rules["blocked-shipment"]?.audiences == [.manager])
        #expect(rules["rhythm-late"]?.events == [.rhythmLate])
        #expect(rules["accreditation-expiring"]?.audiences == [.manager, .serviceSpecialist])
        #expect(rules["act-disputed"]?.audiences == [.serviceSpecialist])
        #expect(rules["job-failed"]?.audiences == [.operators] && rules["job-failed"]?.urgent == true)
        #expect(config.quietHours?.description == "21:00-08:00")
        #expect(config.notifications.smtp == nil && config.notifications.channels.isEmpty, "nothing is sent until e-mail is configured")
    }

    /// Every event type a shipped rule routes renders in both channels from its example payload:
    /// Russian, every placeholder filled, a subject, and the figures.
    @Test func everyRoutedEventRendersInRussianWithNoPlaceholderLeft() async throws {
        let config = try await ConfigLoader.load(path: nil, environment: [:])
        let templates = try #require(config.templates).linking(to: "https://dealerd.example.ru")
        let routed = Set(config.notificationRules.flatMap(\.events))
        let artifacts = ProcessInfo.processInfo.environment["DEALERD_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
        var gallery = ""
        for type in EventType.allCases.sorted(by: { $0.rawValue < $1.rawValue }) where routed.contains(type) {
            let event = try EventContractTests.example(type)
            let dealer = try Dealer(
                id: event.dealerID ?? UUID(), code: "D-001", name: "Альфа Моторс", legalName: "ООО «Альфа Моторс»", taxID: TaxID("7707083893"),
                region: "Москва", status: .accredited, statusChangedAt: .now, createdAt: .now, updatedAt: .now)
            let facts = MessageFacts.of(event, dealer: event.dealerID == nil ? nil : dealer, timeZone: config.company.timeZone)
            for channel in NotificationChannel.allCases {
                let planned = PlannedNotification(
                    rule: "r", channel: channel, recipient: NotificationRecipient(kind: .manager, name: "Анна", address: "a@example.ru"),
                    urgent: false, notBefore: .now)
                let message = templates.render(planned, event: event, facts: facts)
                for part in [message.subject, message.text, message.html ?? ""] {
                    #expect(!part.contains("{{") && !part.contains("}}"), "\(type.rawValue) \(channel): \(part)")
                }
                let cyrillic = message.subject.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
                #expect(!message.subject.isEmpty && cyrillic, "\(type.rawValue): \(message.subject)")
                let gap = message.text.contains("  ") || message.text.contains(" .") || message.text.contains("«»")
                #expect(!gap, "no gap where a value is missing: \(type.rawValue): \(message.text)")
                if event.dealerID != nil {
                    let linked = message.text.contains("https://dealerd.example.ru/dealers/")
                    #expect(linked, "\(type.rawValue) \(channel) links to the dealer: \(message.text)")
                }
                gallery += "== \(type.rawValue) · \(channel.rawValue)\n\(message.subject)\n\(message.text)\n\n"
            }
        }
        if let artifacts {
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            try Data(gallery.utf8).write(to: artifacts.appendingPathComponent("notification-messages.txt"))
        }
        let breach = try EventContractTests.example(.creditLimitBreached)
        let facts = MessageFacts.of(breach, dealer: nil, timeZone: config.company.timeZone)
        #expect(facts.values["balance"]?.hasSuffix("₽") == true)
    }

    @Test func brokenRulesOrTemplatesStopTheStartWithTheFileNamed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifications-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("templates/email"), withIntermediateDirectories: true)
        try Data("rules:\n  - { name: x, events: [credit.nope], to: [manager] }\n".utf8).write(to: folder.appendingPathComponent("rules.yaml"))
        do {
            _ = try NotificationRulesLoader.load(directory: folder.path)
            Issue.record("a broken rule was accepted")
        } catch let error as ConfigError {
            #expect(error.problems == ["\(folder.path)/rules.yaml: rules[0] (x).events: unknown event type credit.nope"])
        }
        try Data("{{% CONTENT_TYPE: TEXT}}\n{{title}}\n".utf8).write(to: folder.appendingPathComponent("templates/email/default.mustache"))
        await #expect(throws: MessageTemplates.Problem.self) {
            _ = try await MessageTemplates.load(directory: folder.appendingPathComponent("templates").path, consoleURL: nil, company: "x")
        }
        try Data("{{#unclosed}}".utf8).write(to: folder.appendingPathComponent("templates/email/layout.mustache"))
        do {
            _ = try await MessageTemplates.load(directory: folder.appendingPathComponent("templates").path, consoleURL: nil, company: "x")
            Issue.record("a broken template was accepted")
        } catch let problem as MessageTemplates.Problem {
            #expect(problem.description.contains("layout.mustache"), "\(problem)")
        }
    }

    @Test func smtpSettingsAreCheckedAndThePasswordComesFromTheEnvironmentOnly() async throws {
        let base = [
            "DEALERD_NOTIFICATIONS_SMTP_HOST": "smtp.example.ru", "DEALERD_NOTIFICATIONS_SMTP_FROM": "Dealerd@Maker.example",
        ]
        let config = try await ConfigLoader.load(path: nil, environment: base.merging(["DEALERD_SMTP_PASSWORD": "s3cret"]) { $1 })
        let smtp = try #require(config.notifications.smtp)
        #expect(smtp.port == 587 && smtp.security == .starttls && smtp.password == "s3cret" && smtp.from.address == "dealerd@maker.example")
        #expect(config.notifications.channels == [.email])
        let implicit = try await ConfigLoader.load(path: nil, environment: base.merging(["DEALERD_NOTIFICATIONS_SMTP_SECURITY": "tls"]) { $1 })
        #expect(implicit.notifications.smtp?.port == 465)
        for (key, value, problem) in [
            ("DEALERD_NOTIFICATIONS_SMTP_PASSWORD", "x", "notifications.smtp.password: put the password in DEALERD_SMTP_PASSWORD, not in the file"),
            ("DEALERD_NOTIFICATIONS_SMTP_SECURITY", "ssl", "notifications.smtp.security: starttls, tls or none, not ssl"),
            ("DEALERD_NOTIFICATIONS_SMTP_CA_FILE", "/nonexistent.pem", "notifications.smtp.ca_file: /nonexistent.pem is not a readable file"),
            ("DEALERD_NOTIFICATIONS_QUIET_HOURS", "ночью", "notifications.quiet_hours: expected HH:MM-HH:MM (21:00-08:00) or none"),
            ("DEALERD_NOTIFICATIONS_OPERATORS", "ops@maker.example,nobody", "notifications.operators: nobody is not an e-mail address"),
            ("DEALERD_NOTIFICATIONS_CONSOLE_URL", "ftp://x", "notifications.console_url: expected an http(s) URL such as https://dealerd.example.ru"),
            (
                "DEALERD_NOTIFICATIONS_SMTP_FROM", "nobody",
                "notifications.smtp.from: the sender's e-mail address is required with notifications.smtp.host"
            ),
        ] {
            do {
                _ = try await ConfigLoader.load(path: nil, environment: base.merging([key: value]) { $1 })
                Issue.record("\(key)=\(value) was accepted")
            } catch let error as ConfigError {
                #expect(error.problems.contains(problem), "\(error.problems)")
            }
        }
    }
}
