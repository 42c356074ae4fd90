import DealerCore
import DealerStore
import Foundation
import Logging

/// Removes finished job runs, finished webhook deliveries and events older than their retention, so
/// the database stays the size of the work, not of its history, and the console's spent sessions
/// and links. The audit log is never pruned; an event is kept while a delivery of it is kept.
struct HousekeepingJob: Job {
    let retention: RetentionSettings
    let name = "housekeeping"
    let summary = "Prunes finished job runs, webhook deliveries and events older than the retention in config, and spent sign-in sessions and links."
    let defaults = JobDefaults(schedule: "30 3 * * *", catchUp: .skip, timeout: 600)

    func run(_ context: JobContext) async throws {
        let day: TimeInterval = 86400
        let deliveries = try await context.store.pruneWebhookDeliveries(
            before: context.asOf.addingTimeInterval(-Double(retention.webhookDeliveriesDays) * day))
        let removed = try await context.store.prune(
            runsBefore: context.asOf.addingTimeInterval(-Double(retention.jobRunsDays) * day),
            eventsBefore: context.asOf.addingTimeInterval(-Double(retention.eventsDays) * day))
        let access = try await ConsoleStore(context.store).pruneSpentAccess()
        let total = removed.runs + removed.events + deliveries + access.total
        await context.progress(done: total, total: total)
        context.logger.info(
            "housekeeping done",
            metadata: [
                "runs_removed": "\(removed.runs)", "events_removed": "\(removed.events)", "deliveries_removed": "\(deliveries)",
                "sessions_removed": "\(access.sessions)", "links_removed": "\(access.links + access.actLinks)",
            ])
    }
}
