import DealerCore
import DealerStore
import Foundation
import Logging

/// On the 1st of the month, every active dealer's act for the month before (and, when configured,
/// for the quarter that just ended). Catch-up `once`, so a month missed while dealerd was down is made
/// at the next start; idempotent, so a run after a crash makes only the acts still missing.
struct ReconciliationActsJob: Job {
    let companyTimeZone: TimeZone
    let settings: ActSettings
    let quarterly: Bool
    let name = "reconciliation-acts"
    let summary = "Makes every active dealer's reconciliation act for the month just closed (and the quarter, when configured)."
    let defaults = JobDefaults(schedule: "0 6 1 * *", catchUp: .once, timeout: 3600)

    func run(_ context: JobContext) async throws {
        let today = CivilDate(context.asOf, in: companyTimeZone)
        var periods = [PlanPeriod.month(of: today).previous]
        if quarterly, [1, 4, 7, 10].contains(today.month) {
            let year = today.month == 1 ? today.year - 1 : today.year
            periods.append(PlanPeriod(year: year, kind: .quarter(today.month == 1 ? 4 : (today.month - 1) / 3)))
        }
        for period in periods {
            let result = try await context.store.generateActs(
                from: period.firstDay, to: period.lastDay, reason: .scheduled, settings: settings
            ) { done in
                await context.progress(done: done, total: nil)
            }
            context.logger.info(
                "reconciliation acts made",
                metadata: [
                    "period": .string(period.description), "dealers": "\(result.dealers)", "created": "\(result.created)",
                    "superseded": "\(result.superseded)", "unchanged": "\(result.unchanged)", "skipped": "\(result.skipped)",
                ])
        }
    }
}
