import DealerCore
import Foundation
import Testing

@Suite("Webhook rules")
struct WebhookRulesTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func theStandardScheduleSpansAboutTwentySevenHoursInEightAttempts() {
        let schedule = WebhookRetrySchedule.standard
        #expect(schedule.attempts == 8)
        #expect(schedule.delays.reduce(0, +) / 3600 > 27 && schedule.delays.reduce(0, +) / 3600 < 28)
        #expect(schedule.nextAttempt(afterFailures: 1, at: now, retryAfter: nil, random: 0.5) == now.addingTimeInterval(5))
        #expect(schedule.nextAttempt(afterFailures: 7, at: now, retryAfter: nil, random: 0.5) == now.addingTimeInterval(36000))
        #expect(schedule.nextAttempt(afterFailures: 8, at: now, retryAfter: nil, random: 0.5) == nil, "exhausted")
    }

    @Test func jitterStaysWithinItsBand() {
        let schedule = WebhookRetrySchedule.standard
        let low = schedule.nextAttempt(afterFailures: 2, at: now, retryAfter: nil, random: 0)!
        let high = schedule.nextAttempt(afterFailures: 2, at: now, retryAfter: nil, random: 1)!
        #expect(low == now.addingTimeInterval(240))
        #expect(high == now.addingTimeInterval(360))
    }

    @Test func retryAfterWinsOnlyWhenLongerAndIsCappedAtADay() {
        let schedule = WebhookRetrySchedule(delays: [0, 5, 300], jitter: 0)
        #expect(schedule.nextAttempt(afterFailures: 1, at: now, retryAfter: 60, random: 0.5) == now.addingTimeInterval(60))
        #expect(schedule.nextAttempt(afterFailures: 2, at: now, retryAfter: 60, random: 0.5) == now.addingTimeInterval(300))
        #expect(schedule.nextAttempt(afterFailures: 1, at: now, retryAfter: 7 * 86400, random: 0.5) == now.addingTimeInterval(86400))
    }

    @Test func schedulesParseWithUnitsAndRejectNonsense() {
        #expect(WebhookRetrySchedule.parseDelays("0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h") == WebhookRetrySchedule.standard.delays)
        #expect(WebhookRetrySchedule.parseDelays("1d,0.5s") == [86400, 0.5])
        #expect(WebhookRetrySchedule.parseDelays("5") == nil)
        #expect(WebhookRetrySchedule.parseDelays("5x") == nil)
        #expect(WebhookRetrySchedule.parseDelays("-5s") == nil)
        #expect(WebhookRetrySchedule.parseDelays("") == nil)
    }

    @Test func answersAreClassifiedAsTheStandardSays() {
        #expect(WebhookResponseVerdict.of(statusCode: 200, retryAfter: nil, now: now) == .delivered)
        #expect(WebhookResponseVerdict.of(statusCode: 204, retryAfter: nil, now: now) == .delivered)
        #expect(WebhookResponseVerdict.of(statusCode: 301, retryAfter: nil, now: now) == .retry(retryAfter: nil))
        #expect(WebhookResponseVerdict.of(statusCode: 410, retryAfter: nil, now: now) == .gone)
        #expect(
            WebhookResponseVerdict.of(statusCode: 500, retryAfter: "30", now: now) == .retry(retryAfter: nil), "only 429 and 503 carry Retry-After")
        #expect(WebhookResponseVerdict.of(statusCode: 429, retryAfter: "30", now: now) == .retry(retryAfter: 30))
        #expect(
            WebhookResponseVerdict.of(statusCode: 503, retryAfter: "Wed, 11 Nov 2026 20:20:00 GMT", now: Date(timeIntervalSince1970: 1_794_428_400))
                == .retry(retryAfter: 0), "a date in the past means now")
        #expect(
            WebhookResponseVerdict.of(statusCode: 503, retryAfter: "Wed, 11 Nov 2026 20:21:00 GMT", now: Date(timeIntervalSince1970: 1_794_428_400))
                == .retry(retryAfter: 60))
        #expect(WebhookResponseVerdict.of(statusCode: 429, retryAfter: "soon", now: now) == .retry(retryAfter: nil))
    }

    @Test func endpointsNameEveryBadField() {
        #expect(throws: ValidationError.self) { try WebhookEndpointDraft(url: nil).validated(id: UUID(), now: now) }
        do {
            _ = try WebhookEndpointDraft(url: "gopher://x", eventTypes: ["*", "dealer.created", "nope"]).validated(id: UUID(), now: now)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["url", "event_types"])
        }
        #expect(WebhookURL.problem(with: "https://a:b@erp.example.ru/") != nil)
        #expect(WebhookURL.problem(with: "https://erp.example.ru/#x") != nil)
        #expect(WebhookURL.problem(with: "https://erp.example.ru:8443/hooks?token=1") == nil)
        let endpoint = try? WebhookEndpointDraft(url: "https://erp.example.ru/h", enabled: false).validated(id: UUID(), now: now)
        #expect(endpoint?.events == .all)
        #expect(endpoint?.enabled == false && endpoint?.disabledReason == "created disabled")
    }

    @Test func thePayloadCarriesTheEnvelopeAndTheDealersNumber() throws {
        let dealer = UUID()
        let event = StoredEvent(
            sequence: 41, dealerSequence: 7,
            event: DomainEvent(type: .dealerStatusChanged, occurredAt: now, dealerID: dealer, data: .object(["to": .string("accredited")])))
        let body = try JSONDecoder().decode([String: JSONValue].self, from: Data(WebhookPayload.body(of: event)))
        #expect(body["id"] == .string(event.event.id.lowercased))
        #expect(body["type"] == .string("dealer.status_changed"))
        #expect(body["timestamp"] == .string("2026-11-18T11:06:40.000Z"))
        #expect(body["dealer_id"] == .string(dealer.lowercased))
        #expect(body["dealer_seq"] == .number(7))
        #expect(body["data"] == .object(["to": .string("accredited")]))
    }
}
