import Foundation

/// What happens when an accreditation runs out: the dealer is suspended until it is accredited
/// again, or the company is only told.
public enum AccreditationExpiryAction: String, Sendable, CaseIterable {
    case suspend
    case alert
}

/// When to remind of an expiry and what to do at it (`accreditation.expiry.*` in config).
public struct AccreditationExpirySettings: Sendable, Equatable {
    /// Days before an accreditation or a required document expires at which to remind, once each.
    public var reminderDays: [Int]
    public var onExpiry: AccreditationExpiryAction

    public init(reminderDays: [Int] = [30, 7], onExpiry: AccreditationExpiryAction = .suspend) {
        self.reminderDays = reminderDays
        self.onExpiry = onExpiry
    }
}

/// Which reminder an expiry date calls for today, given those already sent. Reminders are kept by
/// threshold (days before); 0 stands for the expiry itself.
public enum ExpiryReminders {
    public struct Due: Sendable, Equatable {
        /// The reminder to send now (0: it has expired).
        public var threshold: Int
        /// Every threshold to record as sent: passing 7 days also settles an unsent 30-day reminder,
        /// so a job that did not run for weeks sends one reminder, not a burst. Only unsent ones.
        public var settles: [Int]
        /// Days from today to the last valid day; negative once expired.
        public var daysLeft: Int

        public init(threshold: Int, settles: [Int], daysLeft: Int) {
            self.threshold = threshold
            self.settles = settles
            self.daysLeft = daysLeft
        }
    }

    /// `lastValidDay` is the last day the accreditation or document is good for.
    public static func due(lastValidDay: CivilDate, today: CivilDate, thresholds: [Int], sent: Set<Int>) -> Due? {
        let daysLeft = lastValidDay.days(since: today)
        if daysLeft < 0 {
            return sent.contains(0) ? nil : Due(threshold: 0, settles: [0], daysLeft: daysLeft)
        }
        let reached = thresholds.filter { daysLeft <= $0 }.sorted()
        guard let current = reached.first, !sent.contains(current) else { return nil }
        return Due(threshold: current, settles: reached.filter { !sent.contains($0) }, daysLeft: daysLeft)
    }
}
