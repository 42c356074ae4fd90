import DealerCore
import Foundation

/// Test mode only: does nothing but take a little time and report progress, so the scheduler's
/// exactly-once and takeover behaviour can be measured with fast schedules.
struct ProbeJob: Job {
    let duration: TimeInterval
    let name = "probe"
    let summary = "Test mode only: sleeps briefly to exercise the scheduler."
    var defaults: JobDefaults { JobDefaults(schedule: "* * * * *", catchUp: .all, timeout: 60, enabled: true) }

    func run(_ context: JobContext) async throws {
        let steps = 4
        for step in 1...steps {
            try await Task.sleep(for: .milliseconds(Timestamp.clampedInt64(duration * 1000) / Int64(steps)))
            await context.progress(done: step, total: steps)
        }
    }
}
