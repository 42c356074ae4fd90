import DealerCore
import DealerStore
import Foundation
import Logging

/// On the 1st, after the acts, the month just ended is closed: each manager's scorecard frozen as
/// the record the bonus is paid on (a revised version where a late document changed it). Catch-up
/// `once`; closing again changes nothing that did not change.
struct KPICloseJob: Job {
    let companyTimeZone: TimeZone
    let schemes: KPISchemeBook
    let deadlines: ActDeadlines
    let name = "kpi-close"
    let summary = "Closes the month just ended: freezes every manager's KPI scorecard and bonus (a revised version when a late document changed it)."
    let defaults = JobDefaults(schedule: "0 7 1 * *", catchUp: .once, timeout: 3600)

    func run(_ context: JobContext) async throws {
        let period = PlanPeriod.month(of: CivilDate(context.asOf, in: companyTimeZone)).previous
        let schemes = schemes.all
        guard !schemes.isEmpty else {
            context.logger.info("no KPI schemes: nothing to close", metadata: ["period": .string(period.description)])
            return
        }
        let result = try await context.store.closeScorecards(
            period: period, schemes: schemes, deadlines: deadlines, by: Caller(name: "job:kpi-close", role: .admin))
        context.logger.info(
            "KPI period closed",
            metadata: [
                "period": .string(period.description), "managers": "\(result.managers)", "created": "\(result.created)",
                "revised": "\(result.revised)", "unchanged": "\(result.unchanged)",
            ])
    }
}
