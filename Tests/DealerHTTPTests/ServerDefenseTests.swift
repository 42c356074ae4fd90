import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import dealerd

/// Each key has a rate limit (idle and slow connections and the request deadline are tested on the
/// real binary, in HardeningProcessTests: a stuck SQLite write holds a thread of the process-wide
/// pool, which would stall every other test's server in this process).
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
}
