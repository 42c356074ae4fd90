import Foundation

/// The company's now and today: the clock, and the time zone its business dates are kept in.
/// Built once in the composition root and handed to whoever needs a date, so no handler derives
/// "today" from a clock and a zone of its own choosing.
public struct CompanyCalendar: Sendable {
    public let clock: any NowProvider
    public let timeZone: TimeZone

    public init(clock: any NowProvider = SystemNow(), timeZone: TimeZone = CivilDate.defaultCompanyTimeZone) {
        self.clock = clock
        self.timeZone = timeZone
    }

    public var now: Date { clock.now() }
    /// The business date now, in the company's zone (an instant at 23:30 UTC is already tomorrow in Moscow).
    public var today: CivilDate { CivilDate(clock.now(), in: timeZone) }
}
