import DealerCore
import DealerStore
import Foundation
import Logging

/// Debts become overdue as days pass without any write: every 15 minutes the overdue figures of all
/// dealers are recomputed set-based and `credit.overdue` / `credit.overdue_cleared` written on
/// transitions, and reminds of lasting breaches when configured. Idempotent: a second run on the same
/// day finds nothing to change.
struct CreditScanJob: Job {
    let companyTimeZone: TimeZone
    /// Remind of a lasting breach this often (nil: never).
    let breachReminder: TimeInterval?
    let name = "credit-scan"
    let summary = "Recomputes every dealer's overdue debt as of today and alerts on transitions."
    let defaults = JobDefaults(schedule: "*/15 * * * *", catchUp: .once, timeout: 600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let result = try await context.store.scanOverdue(today: today, breachReminder: breachReminder)
        await context.progress(done: result.dealers, total: result.dealers)
        context.logger.info(
            "credit scan done", metadata: ["as_of": .string(today.iso), "dealers": "\(result.dealers)", "transitions": "\(result.transitions)"])
    }
}
