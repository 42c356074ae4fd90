import DealerCore
import DealerStore
import Foundation
import Logging

/// Payment reminders to dealers (working days, 10:00): each document's levels before and after its
/// due date (`receivables.dunning.levels`), once each, as `credit.payment_reminder` to the dealer's
/// accounting; promises to pay settled the day after their date, a broken one told to the manager.
/// Idempotent: a second run on the same day finds every level sent.
struct DunningJob: Job {
    let companyTimeZone: TimeZone
    let settings: DunningSettings
    let credit: CreditDefaults
    let name = "dunning"
    let summary = "Reminds dealers' accounting of documents coming due and overdue, once per level; settles promises to pay."
    let defaults = JobDefaults(schedule: "0 10 * * 1-5", catchUp: .once, timeout: 900)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let result = try await context.store.runDunning(today: today, settings: settings, defaults: credit)
        await context.progress(done: result.dealers, total: result.dealers)
        context.logger.info(
            "dunning run",
            metadata: [
                "as_of": .string(today.iso), "dealers": "\(result.dealers)", "reminders": "\(result.reminders)",
                "unreachable": "\(result.unreachable)", "paused": "\(result.paused)", "promises_kept": "\(result.promisesKept)",
                "promises_broken": "\(result.promisesBroken)",
            ])
    }
}
