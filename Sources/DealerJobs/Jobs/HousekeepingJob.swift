import DealerCore
import DealerStore
import Foundation
import Logging

/// Removes finished job runs and events older than their retention, so the database stays the size
/// of the work, not of its history. The audit log is never pruned.
struct HousekeepingJob: Job {
    let retention: RetentionSettings
    let name = "housekeeping"
    let summary = "Prunes finished job runs and events older than the retention in config."
    let defaults = JobDefaults(schedule: "30 3 * * *", catchUp: .skip, timeout: 600)

    func run(_ context: JobContext) async throws {
        let day: TimeInterval = 86400
        let removed = try await context.store.prune(
            runsBefore: context.asOf.addingTimeInterval(-Double(retention.jobRunsDays) * day),
            eventsBefore: context.asOf.addingTimeInterval(-Double(retention.eventsDays) * day))
        await context.progress(done: removed.runs + removed.events, total: removed.runs + removed.events)
        context.logger.info("housekeeping done", metadata: ["runs_removed": "\(removed.runs)", "events_removed": "\(removed.events)"])
    }
}
