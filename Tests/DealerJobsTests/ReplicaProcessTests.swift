import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The scheduler's promise, shown with real dealerd processes: with a tick every second for 100+
/// seconds, a replica killed with SIGKILL mid-run and another restarted, every tick has exactly one
/// succeeded run: none lost, none twice.
extension ProcessTests {
    @Suite("Replicas as real processes")
    struct ReplicaProcessTests {
        static let heartbeatMs = 500
        static let pollMs = 100

        @Test func threeReplicasOnPostgreSQLRunEveryTickExactlyOnce() async throws {
            try #require(Backend.postgresURL != nil, "run with scripts/test: PostgreSQL is needed")
            try await exercise(.postgres, replicas: 3, ticks: 105)
        }

        @Test func oneReplicaOnSQLiteRestartedAfterSIGKILLLosesNoTick() async throws {
            try await exercise(.sqlite, replicas: 1, ticks: 100)
        }

        func exercise(_ backend: Backend, replicas count: Int, ticks: Int) async throws {
            let database = try await TestDatabase.create(backend)
            defer { database.remove() }
            let binary = try ReplicaProcess.binary()
            try await database.withStore { (store: Store) async throws in
                let group = ReplicaGroup(binary: binary, url: database.url, heartbeatMs: Self.heartbeatMs, pollMs: Self.pollMs)
                defer { group.stopAll(signal: SIGKILL) }
                for index in 0..<count { try group.launch(index) }
                let begin = Date()

                // Kill whichever replica is running a probe at about a quarter of the way.
                try await Task.sleep(for: .seconds(Double(ticks) / 4))
                let victim = try await Self.runningRun(store)
                let killedAt = Date()
                group.kill(pid: victim.pid, signal: SIGKILL)
                if count == 1 {
                    // The only replica is gone: bring it back after a few ticks.
                    try await Task.sleep(for: .seconds(3))
                    try group.launch(0)
                }

                // Restart another replica gracefully halfway through (on one replica, the same one again).
                try await Task.sleep(for: .seconds(Double(ticks) / 4))
                let restarted = group.anyAlive()
                group.stop(restarted, signal: SIGTERM)
                try group.launch(restarted)

                try await Task.sleep(until: .now + .seconds(Double(ticks) - Date().timeIntervalSince(begin) + 2))
                let stoppedAt = Date()
                group.stopAll(signal: SIGTERM)

                // Every tick from the first to three seconds before the stop: one row, succeeded.
                let runs = try await store.jobRuns(job: "probe", ticksFrom: .distantPast, through: stoppedAt.addingTimeInterval(-3))
                    .filter { $0.trigger == .scheduled }
                let first = try #require(runs.first?.tick)
                let last = try #require(runs.last?.tick)
                let expectedTicks = Int(last.timeIntervalSince(first)) + 1
                #expect(runs.count == expectedTicks, "one row per second, none missing")
                #expect(Set(runs.map(\.tick)).count == runs.count, "no tick twice")
                #expect(runs.count >= ticks - 8)
                let notSucceeded = runs.filter { $0.status != .succeeded }
                #expect(notSucceeded.isEmpty, "\(notSucceeded.map { "\(Timestamp.format($0.tick)) \($0.status) \($0.error ?? "")" })")

                let killed = try await store.jobRun(id: victim.runID)
                #expect(killed.status == .succeeded)
                #expect(killed.attempts >= 2, "the killed run was run again by a live replica")
                let takeover = (killed.startedAt ?? killedAt).timeIntervalSince(killedAt)
                let retried = runs.filter { $0.attempts > 1 }.count
                print(
                    "replica test (\(backend), \(count) replicas): \(runs.count) ticks, each succeeded once; "
                        + "SIGKILL takeover after \(String(format: "%.2f", takeover)) s (heartbeat \(Self.heartbeatMs) ms, lease \(2 * Self.heartbeatMs) ms); "
                        + "runs re-run after a takeover or restart: \(retried)")
            }
        }

        struct Victim {
            var pid: Int32
            var runID: UUID
        }

        /// A run in progress and the process that holds it (its owner is `host:pid:suffix`).
        static func runningRun(_ store: Store) async throws -> Victim {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let running = try await store.jobRuns(job: "probe", status: .running, limit: 5, cursor: nil).items
                if let run = running.first, let owner = run.owner, let pid = Int32(owner.split(separator: ":").dropFirst().first ?? "") {
                    return Victim(pid: pid, runID: run.id)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw TestSetupError(description: "no probe run was running within 10 s")
        }
    }
}

/// dealerd processes started from the built binary, in test mode with a probe every second.
final class ReplicaGroup: @unchecked Sendable {
    let binary: String
    let url: DatabaseURL
    let heartbeatMs: Int
    let pollMs: Int
    /// Settings for this test, applied over the defaults below.
    let extraEnvironment: [String: String]
    private var processes: [Int: Process] = [:]
    private let lock = NSLock()

    init(binary: String, url: DatabaseURL, heartbeatMs: Int, pollMs: Int, environment: [String: String] = [:]) {
        self.extraEnvironment = environment
        self.binary = binary
        self.url = url
        self.heartbeatMs = heartbeatMs
        self.pollMs = pollMs
    }

    func launch(_ index: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        let databaseURL: String
        switch url {
        case .postgres(let text): databaseURL = text
        case .sqliteFile(let path): databaseURL = "sqlite://" + path
        case .sqliteMemory: databaseURL = "sqlite::memory:"
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DEALERD_DATABASE_URL"] = databaseURL
        environment["DEALERD_HTTP_PORT"] = "0"
        environment["DEALERD_SCHEDULER_TEST_MODE"] = "true"
        environment["DEALERD_SCHEDULER_HEARTBEAT_MS"] = String(heartbeatMs)
        environment["DEALERD_SCHEDULER_POLL_INTERVAL_MS"] = String(pollMs)
        environment["DEALERD_SCHEDULER_PROBE_MS"] = "400"
        environment["DEALERD_JOBS_PROBE_SCHEDULE"] = "* * * * * *"
        environment["DEALERD_JOBS_HOUSEKEEPING_ENABLED"] = "false"
        environment["DEALERD_LOG_LEVEL"] = "warning"
        environment.merge(extraEnvironment) { _, mine in mine }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { processes[index] = process }
    }

    func kill(pid: Int32, signal: Int32) {
        _ = Glibc.kill(pid, signal)
        let process = lock.withLock { processes.first { $0.value.processIdentifier == pid } }
        process?.value.waitUntilExit()
    }

    func anyAlive() -> Int {
        lock.withLock { processes.first { $0.value.isRunning }?.key ?? 0 }
    }

    func stop(_ index: Int, signal: Int32) {
        guard let process = lock.withLock({ processes[index] }), process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    func stopAll(signal: Int32) {
        for index in lock.withLock({ Array(processes.keys) }) { stop(index, signal: signal) }
    }
}

enum ReplicaProcess {
    /// The dealerd binary `scripts/test` builds before the tests (or the debug build beside them).
    static func binary() throws -> String {
        let candidates = [
            ProcessInfo.processInfo.environment["DEALERD_TEST_BINARY"],
            FileManager.default.currentDirectoryPath + "/.build/debug/dealerd",
        ].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSetupError(description: "the dealerd binary was not found; run `swift build --product dealerd` (scripts/test does)")
        }
        return found
    }
}
