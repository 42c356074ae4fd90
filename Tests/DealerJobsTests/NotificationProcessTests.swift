import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The notification outbox in a real dealerd process: killed with SIGKILL during a burst of 1,000
/// messages to a real SMTP server, then restarted.
extension ProcessTests {
    @Suite("Notifications sent by a real process")
    struct NotificationProcessTests {
        /// A rules folder beside the shipped templates that routes every `dealer.updated` to the operators.
        static func rulesFolder() throws -> URL {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-rules-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Config/notifications/templates")
            try FileManager.default.copyItem(at: shipped, to: folder.appendingPathComponent("templates"))
            try Data("rules:\n  - { name: burst, events: [dealer.updated], to: [operators], channels: [email], urgent: true }\n".utf8)
                .write(to: folder.appendingPathComponent("rules.yaml"))
            return folder
        }

        @Test(arguments: Backend.available)
        func sigkillDuringABurstOfAThousandMessagesLosesNone(_ backend: Backend) async throws {
            let database = try await TestDatabase.create(backend)
            defer { database.remove() }
            let binary = try ReplicaProcess.binary()
            let sink = try await SMTPSink.start()
            let rules = try Self.rulesFolder()
            defer { try? FileManager.default.removeItem(at: rules) }
            let environment = [
                "DEALERD_NOTIFICATIONS_DIR": rules.path, "DEALERD_NOTIFICATIONS_OPERATORS": "ops@maker.example",
                "DEALERD_NOTIFICATIONS_SMTP_HOST": "127.0.0.1", "DEALERD_NOTIFICATIONS_SMTP_PORT": String(sink.port),
                "DEALERD_NOTIFICATIONS_SMTP_USERNAME": sink.user, "DEALERD_SMTP_PASSWORD": sink.password,
                "DEALERD_NOTIFICATIONS_SMTP_FROM": "dealerd@maker.example", "DEALERD_NOTIFICATIONS_SMTP_CA_FILE": sink.certificate,
                "DEALERD_NOTIFICATIONS_SMTP_MAX_PER_SECOND": "0", "DEALERD_NOTIFICATIONS_POLL_INTERVAL_MS": "200",
                "DEALERD_NOTIFICATIONS_RETRY_SCHEDULE": "0s, 1s, 1s, 1s, 1s, 1s", "DEALERD_JOBS_PROBE_ENABLED": "false",
                "DEALERD_WEBHOOKS_ENABLED": "false",
            ]
            // While the process runs, progress is read from the SMTP server, not the database: on SQLite
            // a read of ours waiting on the process's write lock would hold a thread of sqlite-nio's
            // pool, which the suite's in-process servers share, and stall them all.
            let group = ReplicaGroup(binary: binary, url: database.url, heartbeatMs: 500, pollMs: 200, environment: environment)
            defer { group.stopAll(signal: SIGKILL) }
            try await database.withStore { (store: Store) async throws in
                _ = try await store.migrate(logger: testLogger)
            }
            try group.launch(0)
            let started = ContinuousClock.now
            try await database.withStore { (store: Store) async throws in
                try await EventFixtures.append(1000, dealers: 50, to: store)
            }
            try await eventually(timeout: .seconds(60), "messages under way") { sink.count() >= 150 }
            group.stop(0, signal: SIGKILL)
            let atKill = sink.count()
            try group.launch(0)
            try await eventually(timeout: .seconds(240), "every message arrived after the restart") { sink.distinctMessages() >= 1000 }
            let elapsed = ContinuousClock.now - started
            // A graceful stop: the attempts under way finish and record their outcome.
            group.stop(0, signal: SIGTERM)
            try await database.withStore { (store: Store) async throws in
                #expect(try await Self.count("SELECT COUNT(*) AS n FROM notifications", store) == 1000, "one message per event")
                #expect(try await Self.count("SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'", store) == 1000)
                let mail = sink.messages()
                let arrivals = Dictionary(grouping: mail, by: \.messageId).mapValues(\.count)
                #expect(arrivals.count == 1000, "every message arrived")
                let unknown = try await store.database.read { sql in
                    try await sql.raw(
                        "SELECT DISTINCT notification_id FROM notification_attempts WHERE error LIKE 'no outcome recorded%'"
                    ).all().map { try $0.decode(column: "notification_id", as: UUID.self).lowercased }
                }
                for (id, count) in arrivals where count > 1 {
                    let notification = id.dropFirst().prefix { $0 != "@" }
                    #expect(unknown.contains(String(notification)), "a repeat only where the attempt's outcome was unknown: \(id)")
                }
                print(
                    "notification SIGKILL test (\(backend)): \(atKill) sent before the kill, 1000 messages in \(elapsed), "
                        + "\(mail.count - 1000) resent after an unknown outcome")
            }
        }

        static func count(_ query: String, _ store: Store) async throws -> Int {
            try await store.database.read { sql in
                try await sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? 0
            }
        }
    }
}
