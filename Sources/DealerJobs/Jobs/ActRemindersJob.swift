import DealerCore
import DealerStore
import Foundation
import Logging

/// Every morning: acts the dealers have not answered within `reconciliation.answer_within_days` get
/// one `reconciliation.act_overdue` each, for whoever chases them.
struct ActRemindersJob: Job {
    let companyTimeZone: TimeZone
    let deadlines: ActDeadlines
    let name = "act-reminders"
    let summary = "Reminds once of every reconciliation act the dealer has not answered in time."
    let defaults = JobDefaults(schedule: "0 9 * * *", catchUp: .once, timeout: 600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let reminded = try await context.store.remindUnansweredActs(today: today, deadlines: deadlines, zone: companyTimeZone)
        await context.progress(done: reminded, total: reminded)
        context.logger.info("unanswered acts reminded", metadata: ["as_of": .string(today.iso), "acts": "\(reminded)"])
    }
}
