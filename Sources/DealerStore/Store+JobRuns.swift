import DealerCore
import Foundation
import SQLKit

extension Store {
    static let jobRunColumns =
        "id, job, tick, trigger, status, attempts, owner, lease_expires_at, next_attempt_at, created_at, started_at, finished_at, error, progress_done, progress_total, requested_by"

    /// The latest scheduled tick recorded for a job, whatever its outcome: where catch-up starts.
    public func lastScheduledTick(job: String) async throws -> Date? {
        try await database.read { sql in
            try await sql.raw(
                "SELECT MAX(tick) AS tick FROM job_runs WHERE job = \(bind: job) AND trigger = 'scheduled'"
            ).first()?.optionalInstant("tick")
        }
    }

    /// Records due ticks: those to run as `scheduled`, missed ones as `skipped`. A tick another replica
    /// recorded first is left as it is. Returns how many rows this call inserted.
    @discardableResult
    public func recordTicks(job: String, run: [Date], skip: [Date]) async throws -> Int {
        guard !run.isEmpty || !skip.isEmpty else { return 0 }
        let now = clock.now()
        return try await database.transaction { sql in
            var inserted = 0
            for (tick, status) in run.map({ ($0, JobRunStatus.scheduled) }) + skip.map({ ($0, JobRunStatus.skipped) }) {
                let finished: Date? = status == .skipped ? now : nil
                let rows = try await sql.raw(
                    """
                    INSERT INTO job_runs (id, job, tick, trigger, status, attempts, created_at, finished_at, error)
                    VALUES (\(bind: UUID()), \(bind: job), \(bind: Timestamp.truncated(tick)), 'scheduled', \(bind: status.rawValue), 0,
                            \(bind: now), \(bind: finished), \(bind: status == .skipped ? "missed while no replica was running" : nil))
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """
                ).all()
                inserted += rows.count
            }
            return inserted
        }
    }

    /// Claims the oldest runnable run of these jobs for `owner`: a scheduled run whose retry time has
    /// come, or a running one whose owner's lease has expired (that replica died). Runs of a job whose
    /// other run is alive are left for later, so one job does not run twice at once.
    public func claimNextRun(jobs: [String], owner: String, lease: TimeInterval) async throws -> JobRun? {
        guard !jobs.isEmpty else { return nil }
        let flavor = database.flavor
        return try await database.transaction { sql in
            // Read once the connection is ours, so a wait for a busy pool cannot write a spent lease.
            let now = clock.now()
            let lock = flavor == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard
                let run = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs candidate
                    WHERE job IN (\(binds: jobs))
                      AND ((status = 'scheduled' AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: now)))
                           OR (status = 'running' AND lease_expires_at < \(bind: now)))
                      AND NOT EXISTS (
                        SELECT 1 FROM job_runs alive
                        WHERE alive.job = candidate.job AND alive.status = 'running' AND alive.id <> candidate.id
                          AND alive.lease_expires_at >= \(bind: now))
                    ORDER BY tick, created_at
                    LIMIT 1\(unsafeRaw: lock)
                    """
                ).first().map(Self.decodeJobRun)
            else { return nil }
            return try await Self.take(run, owner: owner, now: now, lease: lease, on: sql)
        }
    }

    /// Claims one given run (the CLI's foreground run), if it is runnable.
    public func claimRun(id: UUID, owner: String, lease: TimeInterval) async throws -> JobRun? {
        let flavor = database.flavor
        return try await database.transaction { sql in
            let now = clock.now()
            let lock = flavor.rowLockForUpdate
            guard
                let run = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs WHERE id = \(bind: id)
                      AND (status = 'scheduled' OR (status = 'running' AND lease_expires_at < \(bind: now)))\(unsafeRaw: lock)
                    """
                ).first().map(Self.decodeJobRun)
            else { return nil }
            return try await Self.take(run, owner: owner, now: now, lease: lease, on: sql)
        }
    }

    private static func take(_ run: JobRun, owner: String, now: Date, lease: TimeInterval, on sql: any SQLDatabase) async throws -> JobRun {
        var claimed = run
        claimed.status = .running
        claimed.owner = owner
        claimed.attempts += 1
        claimed.startedAt = now
        claimed.leaseExpiresAt = Timestamp.truncated(now.addingTimeInterval(lease))
        claimed.nextAttemptAt = nil
        try await sql.raw(
            """
            UPDATE job_runs SET status = 'running', owner = \(bind: owner), attempts = \(bind: claimed.attempts),
                started_at = \(bind: now), lease_expires_at = \(bind: claimed.leaseExpiresAt), next_attempt_at = NULL
            WHERE id = \(bind: run.id)
            """
        ).run()
        return claimed
    }

    /// Extends the lease of a run this owner holds; false when the lease was lost to another replica.
    public func extendLease(runID: UUID, owner: String, lease: TimeInterval) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE job_runs SET lease_expires_at = \(bind: Timestamp.truncated(now.addingTimeInterval(lease)))
                WHERE id = \(bind: runID) AND owner = \(bind: owner) AND status = 'running'
                RETURNING id
                """
            ).all().count == 1
        }
    }

    public func reportProgress(runID: UUID, owner: String, done: Int, total: Int?) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE job_runs SET progress_done = \(bind: done), progress_total = \(bind: total)
                WHERE id = \(bind: runID) AND owner = \(bind: owner) AND status = 'running'
                """
            ).run()
        }
    }

    /// Marks a run this owner holds as succeeded. False when the lease had been lost meanwhile.
    @discardableResult
    public func completeRun(runID: UUID, owner: String) async throws -> Bool {
        let now = clock.now()
        return try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE job_runs SET status = 'succeeded', finished_at = \(bind: now), owner = NULL, lease_expires_at = NULL, error = NULL
                WHERE id = \(bind: runID) AND owner = \(bind: owner) AND status = 'running'
                RETURNING id
                """
            ).all().count == 1
        }
    }

    /// Records a failed attempt. With `retryAt` the run waits for another try; without, it is failed
    /// for good and `job.failed` is written in the same transaction.
    @discardableResult
    public func failRun(runID: UUID, owner: String?, error: String, retryAt: Date?) async throws -> Bool {
        let now = clock.now()
        let flavor = database.flavor
        return try await database.transaction { sql in
            let ownerCondition: SQLQueryString = owner.map { "owner = \(bind: $0)" } ?? "1 = 1"
            guard
                let run = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs WHERE id = \(bind: runID) AND \(ownerCondition) AND status = 'running'"
                ).first().map(Self.decodeJobRun)
            else { return false }
            if let retryAt {
                try await sql.raw(
                    """
                    UPDATE job_runs SET status = 'scheduled', owner = NULL, lease_expires_at = NULL,
                        next_attempt_at = \(bind: Timestamp.truncated(retryAt)), error = \(bind: error)
                    WHERE id = \(bind: runID)
                    """
                ).run()
                return true
            }
            try await sql.raw(
                """
                UPDATE job_runs SET status = 'failed', owner = NULL, lease_expires_at = NULL, finished_at = \(bind: now),
                    error = \(bind: error)
                WHERE id = \(bind: runID)
                """
            ).run()
            try await Outbox.append(
                try DomainEvent(type: .jobFailed, occurredAt: now, payload: JobFailed(run: run, error: error)),
                on: sql, flavor: flavor)
            return true
        }
    }

    /// Hands a run back unfinished (graceful shutdown): another replica, or this one after a restart,
    /// takes it at once instead of waiting for the lease to run out. The attempt does not count.
    public func releaseRun(runID: UUID, owner: String) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE job_runs SET status = 'scheduled', owner = NULL, lease_expires_at = NULL, attempts = attempts - 1
                WHERE id = \(bind: runID) AND owner = \(bind: owner) AND status = 'running'
                """
            ).run()
        }
    }

    /// Asks for a run now, for the given as-of instant; the scheduler (or `dealerd jobs run`) runs it.
    public func requestManualRun(job: String, asOf: Date, by actor: Caller) async throws -> JobRun {
        let now = clock.now()
        let run = JobRun(
            id: UUID(), job: job, tick: Timestamp.truncated(asOf), trigger: .manual, status: .scheduled, createdAt: now,
            requestedBy: actor.name)
        return try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO job_runs (id, job, tick, trigger, status, attempts, created_at, requested_by)
                VALUES (\(bind: run.id), \(bind: job), \(bind: run.tick), 'manual', 'scheduled', 0, \(bind: now), \(bind: actor.name))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "job.run_requested", entityType: "job", entityID: job, before: nil,
                    after: .object(["run_id": .string(run.id.lowercased), "as_of": .string(Timestamp.format(run.tick))])),
                at: now, on: sql)
            return run
        }
    }

    public func jobRun(id: UUID) async throws -> JobRun {
        try await database.read { sql in
            guard
                let run = try await sql.raw("SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs WHERE id = \(bind: id)")
                    .first().map(Self.decodeJobRun)
            else { throw DomainError.notFound(entity: "job run", id: id.lowercased) }
            return run
        }
    }

    /// A job's runs, newest first (by when they were recorded); the cursor is the last run's id.
    public func jobRuns(job: String, status: JobRunStatus?, limit: Int, cursor: String?) async throws -> Page<JobRun> {
        let after = try cursor.map { (text: String) throws(ValidationError) in
            guard let id = UUID(uuidString: text) else { throw ValidationError(field: "cursor", "not a cursor this list handed out") }
            return id
        }
        return try await database.read { sql in
            var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs WHERE job = \(bind: job)"
            if let status { statement += " AND status = \(bind: status.rawValue)" }
            if let after {
                guard
                    let anchor = try await sql.raw("SELECT created_at FROM job_runs WHERE id = \(bind: after)").first()
                else { throw ValidationError(field: "cursor", "not a cursor this list handed out") }
                let at = try anchor.instant("created_at")
                statement += " AND (created_at < \(bind: at) OR (created_at = \(bind: at) AND id < \(bind: after)))"
            }
            statement += " ORDER BY created_at DESC, id DESC LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(statement).all()
            let runs = try rows.prefix(limit).map(Self.decodeJobRun)
            return Page(items: runs, nextCursor: rows.count > limit ? runs.last?.id.lowercased : nil)
        }
    }

    /// Every run of a job for ticks in a range, oldest tick first (tests and reports).
    public func jobRuns(job: String, ticksFrom start: Date, through end: Date) async throws -> [JobRun] {
        try await database.read { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs
                WHERE job = \(bind: job) AND tick >= \(bind: start) AND tick <= \(bind: end) ORDER BY tick, created_at
                """
            ).all().map(Self.decodeJobRun)
        }
    }

    /// The most recent run of each job that has started or finished (for the jobs list).
    public func lastRuns(jobs: [String]) async throws -> [String: JobRun] {
        guard !jobs.isEmpty else { return [:] }
        return try await database.read { sql in
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.jobRunColumns) FROM job_runs latest
                WHERE job IN (\(binds: jobs)) AND status <> 'scheduled'
                  AND created_at = (SELECT MAX(created_at) FROM job_runs other WHERE other.job = latest.job AND other.status <> 'scheduled')
                """
            ).all().map(Self.decodeJobRun)
            return Dictionary(rows.map { ($0.job, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Deletes finished runs and events older than the cut-offs (housekeeping). Returns what was removed.
    public func prune(runsBefore: Date, eventsBefore: Date) async throws -> (runs: Int, events: Int) {
        try await database.transaction { sql in
            let runs = try await sql.raw(
                "DELETE FROM job_runs WHERE status IN ('succeeded', 'failed', 'skipped') AND finished_at < \(bind: runsBefore) RETURNING id"
            ).all().count
            // While endpoints exist, not before the dispatcher has fanned an event out, nor while a
            // delivery of it is kept.
            let events = try await sql.raw(
                """
                DELETE FROM events WHERE occurred_at < \(bind: eventsBefore)
                  AND (seq <= (SELECT last_seq FROM webhook_fanout WHERE id = 1) OR NOT EXISTS (SELECT 1 FROM webhook_endpoints))
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = events.seq)
                RETURNING seq
                """
            ).all().count
            return (runs, events)
        }
    }

    static func decodeJobRun(_ row: any SQLRow) throws -> JobRun {
        JobRun(
            id: try row.decode(column: "id", as: UUID.self),
            job: try row.decode(column: "job", as: String.self),
            tick: try row.instant("tick"),
            trigger: try row.enumeration("trigger", as: JobTrigger.self),
            status: try row.enumeration("status", as: JobRunStatus.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            owner: try row.decode(column: "owner", as: String?.self),
            leaseExpiresAt: try row.optionalInstant("lease_expires_at"),
            nextAttemptAt: try row.optionalInstant("next_attempt_at"),
            createdAt: try row.instant("created_at"),
            startedAt: try row.optionalInstant("started_at"),
            finishedAt: try row.optionalInstant("finished_at"),
            error: try row.decode(column: "error", as: String?.self),
            progressDone: try row.decode(column: "progress_done", as: Int?.self),
            progressTotal: try row.decode(column: "progress_total", as: Int?.self),
            requestedBy: try row.decode(column: "requested_by", as: String?.self))
    }
}
