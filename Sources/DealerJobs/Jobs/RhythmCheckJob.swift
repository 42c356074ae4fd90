import DealerCore
import DealerStore
import Foundation
import Logging

/// Every morning: which accredited dealers broke their shipment rhythm (`rhythm.late`, once per
/// lateness), which came back (`rhythm.restored`), and whose month is heading under plan
/// (`plan.behind`, once a month). Idempotent per day.
struct RhythmCheckJob: Job {
    let companyTimeZone: TimeZone
    let settings: RhythmSettings
    let plans: PlanBehindSettings
    let currency: Currency
    let name = "rhythm-check"
    let summary = "Finds dealers late against their shipment rhythm or behind the month's plan, and those back on rhythm."
    let defaults = JobDefaults(schedule: "0 6 * * *", catchUp: .once, timeout: 600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let result = try await context.store.checkRhythm(today: today, settings: settings, plans: plans, currency: currency)
        await context.progress(done: result.dealers, total: result.dealers)
        context.logger.info(
            "rhythm checked",
            metadata: [
                "as_of": .string(today.iso), "dealers": "\(result.dealers)", "late": "\(result.late)", "restored": "\(result.restored)",
                "plan_behind": "\(result.planBehind)",
            ])
    }
}
