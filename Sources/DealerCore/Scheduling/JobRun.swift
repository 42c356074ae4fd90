import Foundation

public enum JobRunStatus: String, Sendable, Codable, CaseIterable {
    case scheduled
    case running
    case succeeded
    case failed
    case skipped
}

public enum JobTrigger: String, Sendable, Codable {
    case scheduled
    case manual
}

/// One run of a job for one tick: the row that makes each tick run exactly once.
public struct JobRun: Sendable, Equatable {
    public var id: UUID
    public var job: String
    /// The instant the run is for; job bodies use it as their as-of time.
    public var tick: Date
    public var trigger: JobTrigger
    public var status: JobRunStatus
    public var attempts: Int
    public var owner: String?
    public var leaseExpiresAt: Date?
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var error: String?
    public var progressDone: Int?
    public var progressTotal: Int?
    public var requestedBy: String?

    public init(
        id: UUID, job: String, tick: Date, trigger: JobTrigger, status: JobRunStatus, attempts: Int = 0, owner: String? = nil,
        leaseExpiresAt: Date? = nil, nextAttemptAt: Date? = nil, createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil,
        error: String? = nil, progressDone: Int? = nil, progressTotal: Int? = nil, requestedBy: String? = nil
    ) {
        self.id = id
        self.job = job
        self.tick = tick
        self.trigger = trigger
        self.status = status
        self.attempts = attempts
        self.owner = owner
        self.leaseExpiresAt = leaseExpiresAt
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.progressDone = progressDone
        self.progressTotal = progressTotal
        self.requestedBy = requestedBy
    }

    /// Milliseconds from start to finish, once finished.
    public var durationMilliseconds: Int? {
        guard let startedAt, let finishedAt else { return nil }
        return Int(Timestamp.clampedInt64((finishedAt.timeIntervalSince(startedAt) * 1000).rounded()))
    }
}

extension JobRun: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, job, tick, trigger, status, attempts, owner, error, progress
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMs = "duration_ms"
        case nextAttemptAt = "next_attempt_at"
        case createdAt = "created_at"
        case requestedBy = "requested_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(job, forKey: .job)
        try container.encode(tick, forKey: .tick)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(owner, forKey: .owner)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(durationMilliseconds, forKey: .durationMs)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(error, forKey: .error)
        try container.encode(requestedBy, forKey: .requestedBy)
        let progress: JSONValue =
            progressDone.map { done in
                .object([
                    "done": .number(Decimal(done)),
                    "total": progressTotal.map { .number(Decimal($0)) } ?? .null,
                ])
            } ?? .null
        try container.encode(progress, forKey: .progress)
    }
}

/// A job as configured: when it runs and how failures and missed ticks are handled.
public struct JobSettings: Sendable, Equatable {
    public var name: String
    public var schedule: CronSchedule
    public var timeZone: TimeZone
    public var enabled: Bool
    public var timeout: TimeInterval
    public var retry: RetryPolicy
    public var catchUp: CatchUpPolicy
    /// The most missed ticks `all` runs.
    public var catchUpCap: Int

    public init(
        name: String, schedule: CronSchedule, timeZone: TimeZone, enabled: Bool = true, timeout: TimeInterval = 3600,
        retry: RetryPolicy = RetryPolicy(), catchUp: CatchUpPolicy = .skip, catchUpCap: Int = 24
    ) {
        self.name = name
        self.schedule = schedule
        self.timeZone = timeZone
        self.enabled = enabled
        self.timeout = timeout
        self.retry = retry
        self.catchUp = catchUp
        self.catchUpCap = catchUpCap
    }
}
