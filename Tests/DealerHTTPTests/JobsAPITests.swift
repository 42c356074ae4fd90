import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Jobs through the API")
struct JobsAPITests {
    @Test(arguments: Backend.available)
    func aUserListsJobsTriggersOneAndWatchesItFinish(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: { $0.scheduler.pollInterval = 0.1 }) { api in
            let list = try await api.call(.get, "/v1/jobs", as: .viewer)
            #expect(list.status == .ok)
            let housekeeping = try #require(list.json["items"]?.array.first { $0["name"] == .string("housekeeping") })
            #expect(housekeeping["schedule"] == .string("30 3 * * *"))
            #expect(housekeeping["time_zone"] == .string("Europe/Moscow"))
            #expect(housekeeping["catch_up"] == .string("skip"))
            let next = try #require(housekeeping["next_tick"]?.stringValue.flatMap(Timestamp.parse))
            #expect(next > Date())
            #expect(next.timeIntervalSinceNow <= 86400)

            let requested = try await api.call(.post, "/v1/jobs/housekeeping/run", as: .manager, json: #"{"as_of": "2026-10-31T23:59:59+03:00"}"#)
            #expect(requested.status == .accepted)
            #expect(requested.json["trigger"] == .string("manual"))
            #expect(requested.json["tick"] == .string("2026-10-31T20:59:59.000Z"))
            #expect(requested.json["requested_by"] == .string("manager-key"))
            let location = try #require(requested.headers[.location])

            var run = requested.json
            for _ in 0..<100 where run["status"] != .string("succeeded") {
                try await Task.sleep(for: .milliseconds(100))
                run = try await api.call(.get, location, as: .viewer).json
            }
            #expect(run["status"] == .string("succeeded"))
            #expect(run["attempts"] == .number(1))
            #expect(run["duration_ms"] != .null)

            let history = try await api.call(.get, "/v1/jobs/housekeeping/runs?status=succeeded", as: .viewer)
            #expect(history.json["items"]?.array.compactMap { $0["id"] } == [requested.json["id"]].compactMap { $0 })
            let audit = try await api.call(.get, "/v1/audit?entity_type=job&entity_id=housekeeping")
            #expect(audit.json["items"]?.array.first?["action"] == .string("job.run_requested"))
            let listed = try await api.call(.get, "/v1/jobs", as: .viewer).json["items"]?.array.first { $0["name"] == .string("housekeeping") }
            #expect(listed?["last_run"]?["status"] == .string("succeeded"))
        }
    }

    @Test(arguments: Backend.available)
    func unknownJobsAndBadInstantsAreClearErrors(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let unknown = try await api.call(.post, "/v1/jobs/nightly-magic/run", as: .manager, json: "{}")
            #expect(unknown.status == .notFound)
            #expect(unknown.json["detail"]?.stringValue?.contains("housekeeping") == true)
            let badInstant = try await api.call(.post, "/v1/jobs/housekeeping/run", as: .manager, json: #"{"as_of": "yesterday"}"#)
            #expect(badInstant.status == .unprocessableContent)
            #expect(badInstant.json["invalid_params"]?.array.first?["name"] == .string("as_of"))
            #expect(try await api.call(.post, "/v1/jobs/housekeeping/run", as: .viewer).status == .forbidden)
            #expect(try await api.call(.get, "/v1/jobs/housekeeping/runs/\(UUID().lowercased)", as: .viewer).status == .notFound)
            #expect(try await api.call(.get, "/v1/jobs/housekeeping/runs?status=dreaming", as: .viewer).status == .unprocessableContent)
        }
    }
}
