import ArgumentParser
import DealerCore
import DealerJobs
import DealerStore
import Foundation
import Logging

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and print the effective settings, secrets redacted.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            print("# effective configuration (file: \(config.source ?? "none, defaults and environment only"))")
            print(
                """
                http:
                  host: \(config.http.host)
                  port: \(config.http.port)
                  max_body_bytes: \(config.http.maxBodyBytes)
                database:
                  url: \(config.database.url.redacted)
                  max_connections: \(config.database.maxConnections)
                company:
                  name: \(config.company.name)
                  time_zone: \(config.company.timeZone.identifier)
                scheduler:
                  enabled: \(config.scheduler.enabled)
                  poll_interval_ms: \(Int(config.scheduler.pollInterval * 1000))
                  heartbeat_ms: \(Int(config.scheduler.heartbeat * 1000))
                  grace_seconds: \(Int(config.scheduler.grace))
                  max_concurrent_runs: \(config.scheduler.maxConcurrentRuns)
                  test_mode: \(config.scheduler.testMode)
                webhooks:
                  enabled: \(config.webhooks.enabled)
                  timeout_ms: \(Int(config.webhooks.timeout * 1000))
                  retry_schedule: "\(config.webhooks.retry.delays.map(Self.duration).joined(separator: ", "))"
                  retry_jitter_percent: \(Int((config.webhooks.retry.jitter * 100).rounded()))
                  disable_after_days: \(Int(config.webhooks.disableAfter / 86400))
                  secret_grace_hours: \(Int(config.webhooks.secretGrace / 3600))
                  allowed_hosts: [\(config.webhooks.urlPolicy.allowedHosts.sorted().joined(separator: ", "))]
                  allow_private_networks: \(config.webhooks.urlPolicy.allowedKinds.contains(.privateNetwork))
                  concurrency: \(config.webhooks.concurrency)
                  poll_interval_ms: \(Int(config.webhooks.pollInterval * 1000))
                  max_response_bytes: \(config.webhooks.maxResponseBytes)
                receivables:
                  currency: \(config.credit.currency.code)
                  payment_term_days: \(config.credit.paymentTermDays)
                  max_batch_entries: \(config.maxBatchEntries)
                  max_import_bytes: \(config.maxImportBytes)
                  breach_reminder_hours: \(Int((config.breachReminder ?? 0) / 3600))
                  segment_policies:\(config.segmentPolicies.isEmpty ? " {}" : "")
                """)
            for (segment, policy) in config.segmentPolicies.sorted(by: { $0.key < $1.key }) {
                print(
                    "    \(segment): {limit: \"\(policy.limit.decimalString)\", currency: \(policy.currency.code), "
                        + "payment_term_days: \(policy.paymentTermDays), grace_days: \(policy.graceDays), "
                        + "allowed_overdue_days: \(policy.allowedOverdueDays), minimum_overdue: \"\(policy.minimumOverdue.decimalString)\", "
                        + "warning_percent: \(policy.warningPercent), hard_block: \(policy.hardBlock)}")
            }
            print(
                """
                accreditation:
                  profiles_dir: \(config.profilesDirectory)
                  profiles: [\(config.profiles.map { "\($0.name) \($0.version)" }.joined(separator: ", "))]
                  expiry:
                    reminder_days: [\(config.accreditationExpiry.reminderDays.map(String.init).joined(separator: ", "))]
                    on_expiry: \(config.accreditationExpiry.onExpiry.rawValue)
                rhythm:
                  min_intervals: \(config.rhythm.minIntervals)
                  history_intervals: \(config.rhythm.historyIntervals)
                  late_tolerance_percent: \(config.rhythm.lateTolerancePercent)
                  broken_factor: \(config.rhythm.brokenFactor)
                  segment_intervals: {\(config.rhythm.segmentIntervals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}
                plans:
                  behind_threshold_percent: \(config.plans.thresholdPercent ?? 0)
                  min_elapsed_days: \(config.plans.minElapsedDays)
                retention:
                  job_runs_days: \(config.retention.jobRunsDays)
                  events_days: \(config.retention.eventsDays)
                  webhook_deliveries_days: \(config.retention.webhookDeliveriesDays)
                log:
                  level: \(config.logLevel.rawValue)
                jobs:
                """)
            for scheduled in config.jobs {
                let job = scheduled.settings
                print(
                    """
                      \(job.name):
                        schedule: "\(job.schedule.expression)"
                        time_zone: \(job.timeZone.identifier)
                        enabled: \(job.enabled)
                        timeout_seconds: \(Int(job.timeout))
                        retry_attempts: \(job.retry.attempts)
                        retry_backoff_seconds: \(Int(job.retry.backoff))
                        catch_up: \(job.catchUp.rawValue)
                        catch_up_cap: \(job.catchUpCap)
                    """)
            }
        }

        /// A wait in the unit it was most likely written in.
        static func duration(_ seconds: TimeInterval) -> String {
            let whole = Int(seconds)
            if Double(whole) != seconds { return "\(seconds)s" }
            if whole != 0 && whole % 86400 == 0 { return "\(whole / 86400)d" }
            if whole != 0 && whole % 3600 == 0 { return "\(whole / 3600)h" }
            if whole != 0 && whole % 60 == 0 { return "\(whole / 60)m" }
            return "\(whole)s"
        }
    }
}
