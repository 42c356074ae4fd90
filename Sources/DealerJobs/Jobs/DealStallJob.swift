import DealerCore
import DealerStore
import Foundation
import Logging

/// Every morning: deals in work that sat at one stage for `deals.stall_days` get `deal.stalled`,
/// once per stage, so the manager hears of the deal he forgot before the client does. Idempotent.
struct DealStallJob: Job {
    let companyTimeZone: TimeZone
    let settings: DealSettings
    let name = "deal-stall"
    let summary = "Finds deals in work that sat at one stage for deals.stall_days (deal.stalled, once per stage)."
    let defaults = JobDefaults(schedule: "0 7 * * *", catchUp: .once, timeout: 600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let stalled = try await context.store.flagStalledDeals(today: today, settings: settings)
        await context.progress(done: stalled, total: stalled)
        context.logger.info("stalled deals found", metadata: ["as_of": .string(today.iso), "stalled": "\(stalled)"])
    }
}
