import ArgumentParser
import DealerCore
import DealerJobs
import DealerStore
import Foundation
import Logging

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List scheduled jobs, read their history, run one by hand.",
        subcommands: [List.self, Runs.self, Run.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every job: schedule, time zone, next tick, last run.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let last = try await runAdministrative(config: config) { store in
                try await store.lastRuns(jobs: config.jobs.map(\.job.name))
            }
            let now = Date()
            print(["JOB", "SCHEDULE", "TIME ZONE", "ENABLED", "CATCH-UP", "NEXT TICK", "LAST RUN"].joined(separator: "\t"))
            for scheduled in config.jobs {
                let settings = scheduled.settings
                let next = settings.enabled ? settings.schedule.nextFire(after: now, in: settings.timeZone) : nil
                let lastRun = last[settings.name].map { "\($0.status.rawValue) \(Timestamp.format($0.finishedAt ?? $0.createdAt))" }
                print(
                    [
                        settings.name, settings.schedule.expression, settings.timeZone.identifier, settings.enabled ? "yes" : "no",
                        settings.catchUp.rawValue, next.map(Timestamp.format) ?? "-", lastRun ?? "never",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A job's runs, newest first.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job's name (see `dealerd jobs list`).") var name: String
        @Option(help: "How many runs to show.") var limit = 20

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            guard config.jobs.contains(where: { $0.job.name == name }) else {
                printError("dealerd: no job named \(name); jobs: \(config.jobs.map(\.job.name).joined(separator: ", "))")
                throw ExitCode(64)
            }
            let page = try await runAdministrative(config: config) { [name, limit] store in
                try await store.jobRuns(job: name, status: nil, limit: min(max(limit, 1), PageSize.maximum), cursor: nil)
            }
            print(["TICK", "TRIGGER", "STATUS", "ATTEMPTS", "STARTED", "DURATION", "OWNER", "ERROR"].joined(separator: "\t"))
            for run in page.items {
                print(
                    [
                        Timestamp.format(run.tick), run.trigger.rawValue, run.status.rawValue, String(run.attempts),
                        run.startedAt.map(Timestamp.format) ?? "-", run.durationMilliseconds.map { "\($0) ms" } ?? "-",
                        run.owner ?? "-", run.error ?? "",
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now in the foreground, showing its progress; recorded as a manual run and audited.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job's name.") var name: String
        @Option(name: .customLong("as-of"), help: "The instant the run is for, e.g. 2026-10-31T23:59:59+03:00 (default: now).")
        var asOf: String?

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            guard let scheduled = config.jobs.first(where: { $0.job.name == name }) else {
                printError("dealerd: no job named \(name); jobs: \(config.jobs.map(\.job.name).joined(separator: ", "))")
                throw ExitCode(64)
            }
            var instant = Date()
            if let asOf {
                guard let parsed = Timestamp.parse(asOf) else {
                    printError("dealerd: --as-of must be an RFC 3339 instant such as 2026-10-31T23:59:59+03:00")
                    throw ExitCode(64)
                }
                instant = parsed
            }
            let settings = config.schedulerSettings
            let final = try await runAdministrative(config: config) { [instant] store in
                let requested = try await store.requestManualRun(job: scheduled.job.name, asOf: instant, by: .cli)
                let executor = JobExecutor(store: store, owner: settings.owner, heartbeat: settings.heartbeat, logger: Logger(label: "dealerd.jobs"))
                if let claimed = try await store.claimRun(id: requested.id, owner: settings.owner, lease: executor.lease) {
                    _ = await executor.execute(claimed, as: scheduled) { done, total in
                        ProgressLine.show(job: scheduled.job.name, done: done, total: total)
                    }
                    return try await store.jobRun(id: requested.id)
                }
                // A running dealerd took it first: follow it from the database.
                while true {
                    let run = try await store.jobRun(id: requested.id)
                    if let done = run.progressDone { ProgressLine.show(job: run.job, done: done, total: run.progressTotal) }
                    if [.succeeded, .failed].contains(run.status) || (run.status == .scheduled && run.nextAttemptAt != nil) {
                        return run
                    }
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            ProgressLine.finish()
            let duration = final.durationMilliseconds.map { " in \($0) ms" } ?? ""
            print("\(final.job) \(final.status.rawValue)\(duration) (run \(final.id.lowercased), as of \(Timestamp.format(final.tick)))")
            if let error = final.error, final.status != .succeeded { printError("error: \(error)") }
            if final.status != .succeeded { throw ExitCode(1) }
        }
    }
}

/// One progress line on stderr, redrawn in place.
enum ProgressLine {
    static func show(job: String, done: Int, total: Int?) {
        let text = total.map { "\(job): \(done)/\($0)" } ?? "\(job): \(done)"
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
    }

    static func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
