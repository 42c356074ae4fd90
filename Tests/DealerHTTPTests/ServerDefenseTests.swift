import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import dealerd

/// The HTTP server defends itself: each key has a rate limit, and a handler stuck on the database
/// answers 503 instead of hanging (idle and slow connections: HardeningProcessTests, on the binary).
@Suite("The HTTP server defends itself")
struct ServerDefenseTests {
    @Test func eachKeyHasARateLimitAnsweredWith429AndRetryAfter() async throws {
        let clock = TestClock()
        try await APIHarness.run(
            .sqlite,
            configure: {
                $0.http.rateLimits = RateLimits(perSecond: [.viewer: 1, .admin: 0], burstSeconds: 2)
            }, clock: clock
        ) { api in
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .ok)
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .ok)
            let limited = try await api.call(.get, "/v1/dealers", as: .viewer)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.contentType] == "application/problem+json")
            #expect(limited.headers[.retryAfter] == "1")
            #expect(limited.json["type"]?.stringValue == "urn:dealerd:problem:rate_limited")
            // Another key is not affected; an unlimited role is never limited.
            for _ in 0..<20 { #expect(try await api.call(.get, "/v1/dealers", as: .admin).status == .ok) }
            clock.advance(by: 1)
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .ok, "a second later one more request may go")
            #expect(try await api.call(.get, "/v1/dealers", as: .viewer).status == .tooManyRequests)
        }
    }

    /// Another process holds SQLite's write lock: a write through the API answers 503 at the
    /// deadline rather than hanging; once the lock is gone the write completes whole, and the server
    /// goes on serving.
    @Test func aRequestStuckOnTheDatabaseAnswers503AtItsDeadline() async throws {
        try await APIHarness.run(.sqlite, configure: { $0.http.requestTimeoutSeconds = 1 }) { api in
            guard case .sqliteFile(path: let path) = api.database.url else { return }
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = [
                "python3", "-c",
                "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(4)",
                path,
            ]
            let output = Pipe()
            holder.standardOutput = output
            try holder.run()
            var said = ""
            while !said.contains("locked") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                said += String(decoding: chunk, as: UTF8.self)
            }
            try #require(said.contains("locked"), "the other process holds the write lock")
            let started = Date()
            let stuck: APIHarness.Reply = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "LOCK-1", name: "Замок"))
            let waited: TimeInterval = Date().timeIntervalSince(started)
            #expect(stuck.status == .serviceUnavailable, "\(stuck.text)")
            #expect(stuck.json["type"]?.stringValue == "urn:dealerd:problem:deadline_exceeded")
            #expect(stuck.headers[.retryAfter] == "1")
            #expect(waited < 3, "answered at the deadline, not after the lock: \(waited) s")
            holder.waitUntilExit()
            // Whole or nothing: the abandoned write was cancelled and rolled back (or, had it been
            // past its commit, is there with its event). Repeating it, as Retry-After invites, works.
            let before: APIHarness.Reply = try await api.call(.get, "/v1/dealers?q=LOCK-1")
            let dealersBefore = before.json["items"]?.array.count ?? -1
            let eventsBefore = try await api.call(.get, "/v1/events?type=dealer.created", as: .integration).json["items"]?.array.count ?? -1
            #expect(dealersBefore == eventsBefore && dealersBefore <= 1, "\(dealersBefore) dealers, \(eventsBefore) events")
            let again: APIHarness.Reply = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "LOCK-1", name: "Замок"))
            #expect(again.status == (dealersBefore == 0 ? .created : .conflict), "\(again.text)")
            let after: APIHarness.Reply = try await api.call(.get, "/v1/dealers?q=LOCK-1")
            #expect(after.json["items"]?.array.compactMap { $0["code"]?.stringValue } == ["LOCK-1"])
            #expect(try await api.call(.get, "/v1/events?type=dealer.created", as: .integration).json["items"]?.array.count == 1)
            #expect(try await api.call(.get, "/healthz", as: nil).status == .ok)
        }
    }
}
