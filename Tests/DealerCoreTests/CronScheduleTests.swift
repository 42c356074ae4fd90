import DealerCore
import Foundation
import Testing

@Suite("Cron schedules")
struct CronScheduleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var expression: String
        var zone: String
        var after: String
        var expected: [String]
        var testDescription: String { label }
    }

    /// Each case: the fires strictly after `after`, in order, as UTC instants.
    static let cases: [Case] = [
        Case(
            label: "New York spring gap: 02:30 fires at 03:00 EDT", expression: "30 2 * * *", zone: "America/New_York",
            after: "2025-03-08T12:00:00Z", expected: ["2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"]),
        Case(
            label: "New York fall repeat: 01:30 fires at its first occurrence only", expression: "30 1 * * *", zone: "America/New_York",
            after: "2025-11-01T12:00:00Z", expected: ["2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"]),
        Case(
            label: "New York @hourly runs in both copies of the repeated hour", expression: "@hourly", zone: "America/New_York",
            after: "2025-11-02T04:30:00Z", expected: ["2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z", "2025-11-02T07:00:00Z"]),
        Case(
            label: "New York @hourly skips the missing hour", expression: "@hourly", zone: "America/New_York",
            after: "2025-03-09T05:30:00Z", expected: ["2025-03-09T06:00:00Z", "2025-03-09T07:00:00Z", "2025-03-09T08:00:00Z"]),
        Case(
            label: "New York */30 follows absolute time through the repeat", expression: "*/30 * * * *", zone: "America/New_York",
            after: "2025-11-02T04:59:00Z",
            expected: ["2025-11-02T05:00:00Z", "2025-11-02T05:30:00Z", "2025-11-02T06:00:00Z", "2025-11-02T06:30:00Z"]),
        Case(
            label: "Berlin spring gap", expression: "30 2 * * *", zone: "Europe/Berlin",
            after: "2025-03-29T12:00:00Z", expected: ["2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"]),
        Case(
            label: "Berlin fall repeat", expression: "30 2 * * *", zone: "Europe/Berlin",
            after: "2025-10-25T12:00:00Z", expected: ["2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"]),
        Case(
            label: "Lord Howe 30-minute spring gap", expression: "15 2 * * *", zone: "Australia/Lord_Howe",
            after: "2025-10-04T00:00:00Z", expected: ["2025-10-04T15:30:00Z", "2025-10-05T15:15:00Z"]),
        Case(
            label: "Lord Howe 30-minute fall repeat", expression: "45 1 * * *", zone: "Australia/Lord_Howe",
            after: "2025-04-05T00:00:00Z", expected: ["2025-04-05T14:45:00Z", "2025-04-06T15:15:00Z"]),
        Case(
            label: "Cairo midnight gap: @daily fires at 01:00 EEST", expression: "@daily", zone: "Africa/Cairo",
            after: "2025-04-24T12:00:00Z", expected: ["2025-04-24T22:00:00Z", "2025-04-25T21:00:00Z"]),
        Case(
            label: "Cairo repeated 23:30", expression: "30 23 * * *", zone: "Africa/Cairo",
            after: "2025-10-30T12:00:00Z", expected: ["2025-10-30T20:30:00Z", "2025-10-31T21:30:00Z"]),
        Case(
            label: "The 31st skips short months", expression: "0 0 31 * *", zone: "UTC",
            after: "2025-01-31T12:00:00Z", expected: ["2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z"]),
        Case(
            label: "29 February waits for a leap year", expression: "0 12 29 2 *", zone: "UTC",
            after: "2025-01-01T00:00:00Z", expected: ["2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"]),
        Case(
            label: "L is the last day of each month", expression: "0 6 L * *", zone: "Europe/Moscow",
            after: "2024-01-31T12:00:00Z", expected: ["2024-02-29T03:00:00Z", "2024-03-31T03:00:00Z", "2024-04-30T03:00:00Z"]),
        Case(
            label: "Day of month OR day of week", expression: "0 0 13 * FRI", zone: "UTC",
            after: "2025-06-01T00:00:00Z", expected: ["2025-06-06T00:00:00Z", "2025-06-13T00:00:00Z", "2025-06-20T00:00:00Z"]),
        Case(
            label: "Names, ranges and lists", expression: "0 9 * JAN-MAR MON,WED", zone: "Europe/Moscow",
            after: "2025-03-28T00:00:00Z", expected: ["2025-03-31T06:00:00Z", "2026-01-05T06:00:00Z"]),
        Case(
            label: "@monthly for reconciliation on the 1st, company time", expression: "0 6 1 * *", zone: "Europe/Moscow",
            after: "2026-10-15T00:00:00Z", expected: ["2026-11-01T03:00:00Z", "2026-12-01T03:00:00Z"]),
        Case(
            label: "@quarterly", expression: "@quarterly", zone: "UTC",
            after: "2026-02-01T00:00:00Z", expected: ["2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"]),
        Case(
            label: "Sunday as 7", expression: "0 0 * * 7", zone: "UTC",
            after: "2026-11-25T00:00:00Z", expected: ["2026-11-29T00:00:00Z"]),
    ]

    @Test(arguments: cases)
    func firesWhereExpected(_ testCase: Case) throws {
        let schedule = try CronSchedule(parsing: testCase.expression)
        let zone = try #require(TimeZone(identifier: testCase.zone))
        var cursor = try #require(Timestamp.parse(testCase.after))
        var fires: [String] = []
        for _ in testCase.expected {
            let next = try #require(schedule.nextFire(after: cursor, in: zone))
            fires.append(Self.utc(next))
            cursor = next
        }
        #expect(fires == testCase.expected)
    }

    @Test func secondsAreAllowedInTestModeOnly() throws {
        #expect(throws: CronError.self) { try CronSchedule(parsing: "*/2 * * * * *") }
        let schedule = try CronSchedule(parsing: "*/2 * * * * *", allowSeconds: true)
        let start = try #require(Timestamp.parse("2026-01-01T00:00:01Z"))
        #expect(
            schedule.fires(after: start, through: start.addingTimeInterval(6), in: .gmt, limit: 10).map(Self.utc) == [
                "2026-01-01T00:00:02Z", "2026-01-01T00:00:04Z", "2026-01-01T00:00:06Z",
            ])
    }

    @Test(arguments: [
        ("61 * * * *", "minute field: 61 is outside 0-59"),
        ("* 24 * * *", "hour field: 24 is outside 0-23"),
        ("* * 0 * *", "day-of-month field: 0 is outside 1-31"),
        ("* * * 13 *", "month field: 13 is outside 1-12"),
        ("* * * * FUNDAY", "day-of-week field: \"FUNDAY\" in \"FUNDAY\" is not a number or a name such as SUN"),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        ("5-1 * * * *", "minute field: the range \"5-1\" runs backwards"),
        ("*/0 * * * *", "minute field: the step in \"*/0\" must be a positive whole number"),
        ("0 0 30 2 *", "day-of-month field: day 30 never occurs in the months chosen, so this schedule never fires"),
        ("0 0 * * L", "day-of-week field: L (last day) is allowed in day-of-month only"),
    ])
    func invalidExpressionsPointAtTheField(_ expression: String, _ message: String) {
        do {
            _ = try CronSchedule(parsing: expression)
            Issue.record("\(expression) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unknownShorthandsAreNamed() {
        #expect(throws: CronError.self) { try CronSchedule(parsing: "@sometimes") }
    }

    static func utc(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
