import SQLKit

struct CreateJobRuns: Migration {
    let version = 6
    let name = "create_job_runs"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE job_runs (
                id \(unsafeRaw: types.uuid) PRIMARY KEY,
                job TEXT NOT NULL,
                tick \(unsafeRaw: types.instant) NOT NULL,
                trigger TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                owner TEXT,
                lease_expires_at \(unsafeRaw: types.instant),
                next_attempt_at \(unsafeRaw: types.instant),
                created_at \(unsafeRaw: types.instant) NOT NULL,
                started_at \(unsafeRaw: types.instant),
                finished_at \(unsafeRaw: types.instant),
                error TEXT,
                progress_done INTEGER,
                progress_total INTEGER,
                requested_by TEXT
            )
            """
        ).run()
        // Exactly one scheduled run per job and tick, whichever replica inserts it first.
        // Manual runs may repeat a tick (an operator re-running a period on purpose).
        try await sql.raw("CREATE UNIQUE INDEX job_runs_one_per_tick ON job_runs (job, tick) WHERE trigger <> 'manual'").run()
        try await sql.raw("CREATE INDEX job_runs_runnable ON job_runs (status, tick)").run()
        try await sql.raw("CREATE INDEX job_runs_history ON job_runs (job, created_at, id)").run()
    }
}
