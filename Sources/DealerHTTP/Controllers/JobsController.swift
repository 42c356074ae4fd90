import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/jobs`: the scheduler's jobs, their history, and manual runs.
struct JobsController {
    let store: Store
    let jobs: [JobCatalogEntry]
    let maxBodyBytes: Int

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/jobs", .roles(.staff)) { _, _ in
                let last = try await store.lastRuns(jobs: jobs.map(\.settings.name))
                let now = store.clock.now()
                let items = jobs.map { JobBody(entry: $0, now: now, lastRun: last[$0.settings.name]) }
                return try JSONBody.response(ListResponse(items: items, nextCursor: nil))
            },
            APIRoute(.get, "/v1/jobs/{name}/runs", .roles(.staff)) { request, context in
                let job = try job(named: context)
                let filter = try Self.runsFilter(from: request)
                let page = try await store.jobRuns(job: job.settings.name, status: filter.status, limit: filter.limit, cursor: filter.cursor)
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.get, "/v1/jobs/{name}/runs/{id}", .roles(.staff)) { _, context in
                let job = try job(named: context)
                let run = try await store.jobRun(id: try context.uuidParameter(entity: "job run"))
                guard run.job == job.settings.name else { throw DomainError.notFound(entity: "job run", id: run.id.lowercased) }
                return try JSONBody.response(run)
            },
            APIRoute(.post, "/v1/jobs/{name}/run", .roles(.salesStaff)) { request, context in
                let job = try job(named: context)
                // A job runs over every dealer; a manager who sees only its own may not start one.
                if context.visibility != .all { throw Problem.companyWideUnderOwnScope }
                let body = try await Self.optionalBody(request, limit: maxBodyBytes)
                let run = try await store.requestManualRun(
                    job: job.settings.name, asOf: body?.asOf ?? store.clock.now(), by: try context.caller)
                var response = try JSONBody.response(run, status: .accepted)
                response.headers[.location] = "/v1/jobs/\(job.settings.name)/runs/\(run.id.lowercased)"
                return response
            },
        ]
    }

    /// Parsed outside the async handler, as in DealersController (a release-optimizer crash).
    static func runsFilter(from request: Request) throws -> (status: JobRunStatus?, limit: Int, cursor: String?) {
        let query = QueryParameters(request: request)
        return (try query.oneOf("status", JobRunStatus.self), try query.limit(), query.string("cursor"))
    }

    private func job(named context: APIContext) throws -> JobCatalogEntry {
        let name = context.parameters.get("name") ?? ""
        guard let job = jobs.first(where: { $0.settings.name == name }) else {
            throw Problem(
                .notFound, code: "not_found", title: "Not found",
                detail: "no job named \(name); jobs: \(jobs.map(\.settings.name).joined(separator: ", "))")
        }
        return job
    }

    /// The manual run's body is optional: `{}` or nothing runs as of now.
    static func optionalBody(_ request: Request, limit: Int) async throws -> ManualRunRequest? {
        if request.headers[.contentLength] == "0" { return nil }
        let buffer = try await request.body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else { return nil }
        let data = Data(buffer.readableBytesView)
        do {
            return try DealerJSON.decoder().decode(ManualRunRequest.self, from: data)
        } catch let error as DecodingError {
            throw JSONBody.problem(for: error, in: data)
        }
    }
}

struct ManualRunRequest: Decodable {
    /// The instant the run is for (the job's "now"); RFC 3339 with an offset.
    var asOf: Date?

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
    }
}

/// A job in the list: its settings, when it runs next, and how its last run went.
struct JobBody: Encodable {
    let entry: JobCatalogEntry
    let now: Date
    let lastRun: JobRun?

    enum CodingKeys: String, CodingKey {
        case name, summary, schedule, enabled, retry
        case timeZone = "time_zone"
        case catchUp = "catch_up"
        case timeoutSeconds = "timeout_seconds"
        case nextTick = "next_tick"
        case lastRun = "last_run"
    }

    func encode(to encoder: any Encoder) throws {
        let settings = entry.settings
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings.name, forKey: .name)
        try container.encode(entry.summary, forKey: .summary)
        try container.encode(settings.schedule.expression, forKey: .schedule)
        try container.encode(settings.timeZone.identifier, forKey: .timeZone)
        try container.encode(settings.enabled, forKey: .enabled)
        try container.encode(settings.catchUp, forKey: .catchUp)
        try container.encode(Int(settings.timeout), forKey: .timeoutSeconds)
        try container.encode(
            JSONValue.object([
                "attempts": .number(Decimal(settings.retry.attempts)), "backoff_seconds": .number(Decimal(Int(settings.retry.backoff))),
            ]), forKey: .retry)
        let next = settings.enabled ? settings.schedule.nextFire(after: now, in: settings.timeZone) : nil
        try container.encode(next, forKey: .nextTick)
        try container.encode(lastRun, forKey: .lastRun)
    }
}
