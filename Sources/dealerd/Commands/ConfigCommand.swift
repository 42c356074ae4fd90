import ArgumentParser
import DealerCore
import DealerHTTP
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
            print(Self.effective(config))
            for gap in Self.actGaps(config) { printError("dealerd: note: \(gap)") }
            if config.secrets.current == nil {
                printError(
                    "dealerd: warning: DEALERD_SECRETS_KEY is not set: webhook secrets are stored in plain text (dealerd secrets generate-key, then dealerd secrets rotate)"
                )
            }
        }

        /// The effective settings as `config check` prints them, secrets redacted; the console's
        /// operations page shows the same text.
        static func effective(_ config: DealerdConfig) -> String {
            var out: [String] = []
            out.append("# effective configuration (file: \(config.source ?? "none, defaults and environment only"))")
            out.append(
                """
                http:
                  host: \(config.http.host)
                  port: \(config.http.port)
                  max_body_bytes: \(config.http.maxBodyBytes)
                auth:
                  manager_scope: \(config.managerScope.rawValue)
                  last_used_write_seconds: \(config.keyUseWriteSeconds)
                database:
                  url: \(config.database.url.redacted)
                  max_connections: \(config.database.maxConnections)
                company:
                  name: \(config.company.name)
                  legal_name: "\(config.company.legalName ?? "")"
                  inn: "\(config.company.inn)"
                  kpp: "\(config.company.kpp ?? "")"
                  time_zone: \(config.company.timeZone.identifier)
                scheduler:
                  enabled: \(config.scheduler.enabled)
                  poll_interval_ms: \(Timestamp.clampedInt64(config.scheduler.pollInterval * 1000))
                  heartbeat_ms: \(Timestamp.clampedInt64(config.scheduler.heartbeat * 1000))
                  grace_seconds: \(Int(config.scheduler.grace))
                  max_concurrent_runs: \(config.scheduler.maxConcurrentRuns)
                  test_mode: \(config.scheduler.testMode)
                webhooks:
                  enabled: \(config.webhooks.enabled)
                  timeout_ms: \(Timestamp.clampedInt64(config.webhooks.timeout * 1000))
                  retry_schedule: "\(config.webhooks.retry.delays.map(Self.duration).joined(separator: ", "))"
                  retry_jitter_percent: \(Int((config.webhooks.retry.jitter * 100).rounded()))
                  disable_after_days: \(Int(config.webhooks.disableAfter / 86400))
                  secret_grace_hours: \(Int(config.webhooks.secretGrace / 3600))
                  allowed_hosts: [\(config.webhooks.urlPolicy.allowedHosts.sorted().joined(separator: ", "))]
                  allow_private_networks: \(config.webhooks.urlPolicy.allowedKinds.contains(.privateNetwork))
                  concurrency: \(config.webhooks.concurrency)
                  poll_interval_ms: \(Timestamp.clampedInt64(config.webhooks.pollInterval * 1000))
                  max_response_bytes: \(config.webhooks.maxResponseBytes)
                notifications:
                  enabled: \(config.notifications.enabled)
                  dir: \(config.notificationsDirectory)
                  rules: [\(config.notificationRules.map(\.name).joined(separator: ", "))]
                  quiet_hours: \(config.quietHours?.description ?? "none")
                  operators: [\(config.operators.joined(separator: ", "))]
                  console_url: \(config.consoleURL ?? "none")
                  retry_schedule: "\(config.notifications.retry.delays.map(Self.duration).joined(separator: ", "))"
                  smtp: \(config.notifications.smtp.map { "\($0.security.rawValue)://\($0.host):\($0.port) from \($0.from.address), password \($0.password == nil ? "not set" : "set")" } ?? "not configured")
                  telegram: \(config.notifications.telegram.map { "@\($0.botName) via \($0.apiURL), token set, poll \($0.poll)" } ?? "not configured")
                receivables:
                  currency: \(config.credit.currency.code)
                  payment_term_days: \(config.credit.paymentTermDays)
                  max_batch_entries: \(config.maxBatchEntries)
                  max_import_bytes: \(config.maxImportBytes)
                  breach_reminder_hours: \(Int((config.breachReminder ?? 0) / 3600))
                  dunning: {levels: [\(config.dunning.levels.map(String.init).joined(separator: ", "))], max_promise_days: \(config.dunning.maxPromiseDays)}
                  segment_policies:\(config.segmentPolicies.isEmpty ? " {}" : "")
                """)
            for (segment, policy) in config.segmentPolicies.sorted(by: { $0.key < $1.key }) {
                out.append(
                    "    \(segment): {limit: \"\(policy.limit.decimalString)\", currency: \(policy.currency.code), "
                        + "payment_term_days: \(policy.paymentTermDays), grace_days: \(policy.graceDays), "
                        + "allowed_overdue_days: \(policy.allowedOverdueDays), minimum_overdue: \"\(policy.minimumOverdue.decimalString)\", "
                        + "warning_percent: \(policy.warningPercent), hard_block: \(policy.hardBlock)}")
            }
            out.append(
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
                reconciliation:
                  number_pattern: "\(config.actNumbers.pattern)"
                  quarterly: \(config.quarterlyActs)
                  generate_within_days: \(config.actDeadlines.generateWithinDays)
                  answer_within_days: \(config.actDeadlines.answerWithinDays)
                  edo:
                    ogrn: "\(config.fns.ogrn ?? "")"
                    phone: "\(config.fns.phone ?? "")"
                    email: "\(config.fns.email ?? "")"
                    edo_id: "\(config.fns.edoID ?? "")"
                    signatory: "\(config.fns.signatory.map { [$0.position, $0.surname, $0.name, $0.patronymic].compactMap { $0 }.joined(separator: " ") } ?? "")"
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
                out.append(
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
            out.append("secrets:\n  key: \(config.secrets.current.map { "set (id \($0.id))" } ?? "not set")")
            out.append(
                """
                console:
                  enabled: \(config.console.enabled)
                  url: \(config.console.publicURL ?? "none")
                  secure_cookies: \(config.console.secureCookies)
                  idle_minutes: \(Int(config.console.session.idle / 60))
                  absolute_hours: \(Int(config.console.session.absolute / 3600))
                  link_hours: \(Int(config.console.linkLifetime / 3600))
                  password_cost: \(config.console.passwordCost)
                  min_password_length: \(config.console.passwords.minimumLength)
                  links_by_email: \(config.consoleSettings.mailLinks)
                """)
            return out.joined(separator: "\n")
        }

        /// What reconciliation acts lack in this configuration: valid as it is, but an accountant
        /// would want to know before the 1st of the month.
        static func actGaps(_ config: DealerdConfig) -> [String] {
            var gaps: [String] = []
            if config.company.legalName == nil { gaps.append("company.legal_name is not set: acts name our side «\(config.company.name)»") }
            if config.company.inn.isEmpty || config.company.kpp == nil {
                gaps.append("company.inn and company.kpp are not both set: acts print without them, and the electronic act (act.xml) is refused")
            }
            var edo: [String] = []
            if config.fns.ogrn == nil { edo.append("reconciliation.edo.ogrn") }
            if config.fns.phone == nil && config.fns.email == nil { edo.append("reconciliation.edo.phone or .email") }
            if config.fns.signatory == nil { edo.append("reconciliation.edo.signatory") }
            if !edo.isEmpty { gaps.append("the electronic act (act.xml) also needs \(edo.joined(separator: ", "))") }
            return gaps
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
