import DealerCore
import DealerStore
import Foundation
import Logging
import ServiceLifecycle

/// How the scheduler of one replica behaves.
public struct SchedulerSettings: Sendable {
    public var enabled: Bool
    /// How often due ticks are recorded and runnable runs claimed.
    public var pollInterval: TimeInterval
    /// How often a running job's lease is extended; the lease is two of these.
    public var heartbeat: TimeInterval
    /// A tick this late still counts as on time; older ones are missed and follow the catch-up policy.
    public var grace: TimeInterval
    public var maxConcurrentRuns: Int
    /// Names this replica in run rows: host, process id and a random suffix.
    public var owner: String

    public init(
        enabled: Bool = true, pollInterval: TimeInterval = 1, heartbeat: TimeInterval = 5, grace: TimeInterval = 60,
        maxConcurrentRuns: Int = 4, owner: String = SchedulerSettings.defaultOwner()
    ) {
        self.enabled = enabled
        self.pollInterval = pollInterval
        self.heartbeat = heartbeat
        self.grace = grace
        self.maxConcurrentRuns = maxConcurrentRuns
        self.owner = owner
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(4).lowercased())"
    }
}

/// Runs the jobs of the registry on their schedules, on every replica at once.
///
/// Correctness never depends on a leader: each replica records due ticks (one row per job and tick,
/// the first insert wins) and claims runnable runs with a lease; a replica that dies loses its lease
/// and another finishes its run.
public struct SchedulerService: Service {
    let store: Store
    let jobs: [ScheduledJob]
    let settings: SchedulerSettings
    let logger: Logger
    /// Waits until the schema is migrated; the scheduler starts beside the server in one group.
    let ready: @Sendable () async throws -> Void
    /// The most ticks recorded per job per pass; a longer backlog is worked through over several passes.
    let batch = 500

    public init(
        store: Store, jobs: [ScheduledJob], settings: SchedulerSettings, logger: Logger,
        ready: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.store = store
        self.jobs = jobs
        self.settings = settings
        self.logger = logger
        self.ready = ready
    }

    public func run() async throws {
        guard settings.enabled else {
            logger.info("scheduler disabled on this replica")
            try? await gracefulShutdown()
            return
        }
        do { try await ready() } catch { return }
        let executor = JobExecutor(store: store, owner: settings.owner, heartbeat: settings.heartbeat, logger: logger)
        let byName = Dictionary(jobs.map { ($0.job.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = jobs.filter(\.settings.enabled).map(\.job.name)
        let active = RunCounter()
        let startedAt = store.clock.now()
        logger.info("scheduler started", metadata: ["owner": .string(settings.owner), "jobs": .string(names.joined(separator: ","))])
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    try await planTicks(startedAt: startedAt)
                    while await active.count < settings.maxConcurrentRuns,
                        let run = try await store.claimNextRun(jobs: names + manualOnly(names), owner: settings.owner, lease: executor.lease)
                    {
                        guard let scheduled = byName[run.job] else {
                            _ = try? await store.failRun(runID: run.id, owner: settings.owner, error: "no such job in this build", retryAt: nil)
                            continue
                        }
                        await active.change(by: 1)
                        group.addTask {
                            _ = await executor.execute(run, as: scheduled)
                            await active.change(by: -1)
                        }
                    }
                } catch {
                    logger.error("scheduler pass failed", metadata: ["error": .string(String(reflecting: error))])
                }
                await pause()
            }
            // Shutting down: running bodies are cancelled and hand their runs back.
            group.cancelAll()
        }
        logger.info("scheduler stopped")
    }

    /// Waits one poll interval, or less when a graceful shutdown begins.
    private func pause() async {
        let interval = Duration.seconds(settings.pollInterval)
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }

    /// Disabled jobs still run when someone asks for a manual run.
    private func manualOnly(_ enabled: [String]) -> [String] {
        jobs.map(\.job.name).filter { !enabled.contains($0) }
    }

    /// Records the ticks that have come due for every enabled job, following each job's catch-up policy.
    func planTicks(startedAt: Date) async throws {
        let now = store.clock.now()
        for scheduled in jobs where scheduled.settings.enabled {
            let settings = scheduled.settings
            // A job with no history starts when this scheduler did: nothing was missed before it existed.
            let last = try await store.lastScheduledTick(job: settings.name) ?? startedAt
            let due = settings.schedule.fires(after: last, through: now, in: settings.timeZone, limit: batch + 1)
            guard !due.isEmpty else { continue }
            let plan = CatchUp.plan(
                due: Array(due.prefix(batch)), now: now, grace: self.settings.grace, policy: settings.catchUp,
                cap: settings.catchUpCap, more: due.count > batch)
            let inserted = try await store.recordTicks(job: settings.name, run: plan.run, skip: plan.skip)
            if !plan.skip.isEmpty && inserted > 0 {
                logger.warning(
                    "missed ticks recorded as skipped",
                    metadata: ["job": .string(settings.name), "skipped": "\(plan.skip.count)", "policy": .string(settings.catchUp.rawValue)])
            }
        }
    }
}

actor RunCounter {
    private(set) var count = 0
    func change(by delta: Int) { count += delta }
}
