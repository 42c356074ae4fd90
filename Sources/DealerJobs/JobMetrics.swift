import DealerCore
import Foundation
import Metrics

/// Scheduler metrics: runs by job and outcome, run duration, start lag (start − tick) and how many
/// runs are under way.
struct JobMetrics: Sendable {
    func finished(job: String, outcome: String, duration: Duration) {
        Counter(label: "dealerd_job_runs", dimensions: [("job", job), ("outcome", outcome)]).increment()
        Metrics.Timer(label: "dealerd_job_run_duration", dimensions: [("job", job)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(duration.nanoseconds)
    }

    func started(job: String, lag: TimeInterval) {
        Metrics.Timer(label: "dealerd_job_start_lag", dimensions: [("job", job)], preferredDisplayUnit: .seconds)
            // A run for an `as_of` far from now has an absurd lag; it is recorded held at Int64's end,
            // never converted with a trap.
            .recordNanoseconds(Timestamp.clampedInt64((max(lag, 0) * 1_000_000_000).rounded()))
    }

    func runningChanged(job: String, by delta: Int) {
        let meter = Meter(label: "dealerd_jobs_running", dimensions: [("job", job)])
        if delta > 0 { meter.increment(by: Double(delta)) } else { meter.decrement(by: Double(-delta)) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
