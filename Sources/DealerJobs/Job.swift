import DealerCore
import DealerStore
import Foundation
import Logging

/// A periodic piece of work. Bodies must be idempotent per tick: a run whose replica died is run
/// again by another, with the same `asOf` and run id.
public protocol Job: Sendable {
    /// Unique; names the job in config (`jobs.<name>.*`), the API and the CLI.
    var name: String { get }
    /// What the job does, for `dealerd jobs list` and `GET /v1/jobs`.
    var summary: String { get }
    /// The schedule and catch-up policy used when config names none.
    var defaults: JobDefaults { get }
    func run(_ context: JobContext) async throws
}

public struct JobDefaults: Sendable {
    public var schedule: String
    public var catchUp: CatchUpPolicy
    public var timeout: TimeInterval
    public var enabled: Bool

    public init(schedule: String, catchUp: CatchUpPolicy, timeout: TimeInterval = 3600, enabled: Bool = true) {
        self.schedule = schedule
        self.catchUp = catchUp
        self.timeout = timeout
        self.enabled = enabled
    }
}

/// What a job body gets: the instant it runs for, an idempotency key, the store, and a way to
/// report progress that `GET /v1/jobs/{name}/runs` and `dealerd jobs run` show.
public struct JobContext: Sendable {
    /// The tick (or the manual as-of): the job's notion of "now".
    public let asOf: Date
    /// Stable across retries and takeovers of the same run.
    public let runID: UUID
    public let store: Store
    public let logger: Logger
    let progressSink: @Sendable (Int, Int?) async -> Void

    public init(asOf: Date, runID: UUID, store: Store, logger: Logger, progress: @escaping @Sendable (Int, Int?) async -> Void) {
        self.asOf = asOf
        self.runID = runID
        self.store = store
        self.logger = logger
        self.progressSink = progress
    }

    /// Reports `done` items of `total` (nil when the total is not known yet).
    public func progress(done: Int, total: Int?) async {
        await progressSink(done, total)
    }
}

/// A job together with its effective settings.
public struct ScheduledJob: Sendable {
    public let job: any Job
    public let settings: JobSettings

    public init(job: any Job, settings: JobSettings) {
        self.job = job
        self.settings = settings
    }
}
