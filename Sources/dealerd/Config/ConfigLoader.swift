import Configuration
import DealerCore
import DealerJobs
import DealerPDF
import DealerStore
import Foundation
import Logging
import SystemPackage
import Yams

/// Reads the configuration: `DEALERD_*` environment variables over the YAML file over built-in defaults.
///
/// The file is `--config PATH`, else `$DEALERD_CONFIG`, else `Config/dealerd.yaml` when it exists.
/// A file named explicitly must exist. Values of the wrong type are errors, not silent defaults.
enum ConfigLoader {
    static let defaultPath = "Config/dealerd.yaml"

    static func load(path explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> DealerdConfig {
        let named = explicitPath ?? environment["DEALERD_CONFIG"]
        let path = named ?? defaultPath
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "dealerd")
        ]
        let fileExists = FileManager.default.fileExists(atPath: path)
        if named != nil && !fileExists {
            throw ConfigError(problems: ["config file \(path) does not exist"])
        }
        if fileExists {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw ConfigError(problems: ["\(path) is not valid YAML: \(error)"])
            }
        }
        let segments = fileExists ? keys(under: ["receivables", "segment_policies"], inFile: path) : []
        let rhythmSegments = fileExists ? keys(under: ["rhythm", "segment_intervals"], inFile: path) : []
        var config = try parse(ConfigReader(providers: providers), segments: segments, rhythmSegments: rhythmSegments)
        config.source = fileExists ? path : nil
        config.secrets = try secretSealer(environment: environment)
        // A relative profiles folder is the config file's neighbour (Config/profiles beside
        // Config/dealerd.yaml, /etc/dealerd/profiles beside /etc/dealerd/dealerd.yaml).
        if fileExists, !config.profilesDirectory.hasPrefix("/") {
            let folder = (path as NSString).deletingLastPathComponent
            config.profilesDirectory =
                folder.isEmpty ? config.profilesDirectory : (folder as NSString).appendingPathComponent(config.profilesDirectory)
        }
        config.profiles = try ProfileLoader.load(directory: config.profilesDirectory)
        if fileExists, !config.kpiSchemesDirectory.hasPrefix("/") {
            let folder = (path as NSString).deletingLastPathComponent
            config.kpiSchemesDirectory =
                folder.isEmpty ? config.kpiSchemesDirectory : (folder as NSString).appendingPathComponent(config.kpiSchemesDirectory)
        }
        config.kpiSchemes = try KPISchemeLoader.load(directory: config.kpiSchemesDirectory)
        config.kpiSchemeBook.replace(with: config.kpiSchemes)
        if fileExists, !config.notificationsDirectory.hasPrefix("/") {
            let folder = (path as NSString).deletingLastPathComponent
            config.notificationsDirectory =
                folder.isEmpty ? config.notificationsDirectory : (folder as NSString).appendingPathComponent(config.notificationsDirectory)
        }
        // The SMTP password is the environment's only, like the secrets key.
        if let password = environment["DEALERD_SMTP_PASSWORD"], !password.isEmpty { config.notifications.smtp?.password = password }
        if config.notifications.telegram != nil {
            guard let token = environment["DEALERD_TELEGRAM_TOKEN"], !token.isEmpty else {
                throw ConfigError(problems: ["notifications.telegram: the bot token is missing: set DEALERD_TELEGRAM_TOKEN (from @BotFather)"])
            }
            config.notifications.telegram?.token = token
        }
        // No notifications folder (a config file elsewhere that does not ship one): nobody is written to.
        guard FileManager.default.fileExists(atPath: config.notificationsDirectory) else { return config }
        config.notificationRules = try NotificationRulesLoader.load(directory: config.notificationsDirectory)
        do {
            config.templates = try await MessageTemplates.load(
                directory: (config.notificationsDirectory as NSString).appendingPathComponent("templates"), consoleURL: config.consoleURL,
                company: config.company.name)
        } catch let problem as MessageTemplates.Problem {
            throw ConfigError(problems: [problem.description])
        }
        // The CLI's `jobs run` sends digests by this; a served dealerd hands it its own again.
        config.notificationRoutingBook.replace(with: config.notifications.enabled ? config.notificationRouting : nil)
        return config
    }

    /// The secrets key from the environment (never the file, so the key and a copy of the
    /// configuration or the database are not found in one place).
    static func secretSealer(environment: [String: String]) throws -> SecretSealer {
        var problems: [String] = []
        func key(_ name: String, _ text: String) -> SecretSealer.Key? {
            do { return try SecretSealer.Key(base64: text) } catch {
                problems.append("\(name): \(error.description)")
                return nil
            }
        }
        let current = environment["DEALERD_SECRETS_KEY"].flatMap { $0.isEmpty ? nil : key("DEALERD_SECRETS_KEY", $0) }
        let previous = (environment["DEALERD_SECRETS_KEY_PREVIOUS"] ?? "").split(separator: ",").compactMap {
            key("DEALERD_SECRETS_KEY_PREVIOUS", String($0))
        }
        if current == nil && !previous.isEmpty && problems.isEmpty {
            problems.append("DEALERD_SECRETS_KEY_PREVIOUS is set without DEALERD_SECRETS_KEY: set the new key to re-seal under")
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return SecretSealer(current: current, previous: previous)
    }

    static func parse(_ reader: ConfigReader, segments: [String] = [], rhythmSegments: [String] = []) throws -> DealerdConfig {
        var settings = SettingsReader(reader: reader)
        var config = DealerdConfig()
        if let host = settings.string("http.host") { config.http.host = host }
        if let port = settings.int("http.port", in: 0...65535) { config.http.port = port }
        if let bytes = settings.int("http.max_body_bytes", in: 1024...(256 << 20)) { config.http.maxBodyBytes = bytes }
        if let seconds = settings.int("http.idle_timeout_seconds", in: 1...3600) { config.http.idleTimeoutSeconds = seconds }
        if let bytes = settings.int("http.max_header_bytes", in: 1024...(1 << 20)) { config.http.maxHeaderBytes = bytes }
        if let count = settings.int("http.max_connections", in: 1...1_000_000) { config.http.maxConnections = count }
        if let seconds = settings.int("http.request_timeout_seconds", in: 0...3600) { config.http.requestTimeoutSeconds = seconds }
        for role in Role.allCases {
            if let rate = settings.int("http.rate_limit.\(role.rawValue)", in: 0...1_000_000) {
                config.http.rateLimits.perSecond[role] = Double(rate)
            }
        }
        if let seconds = settings.int("http.rate_limit.burst_seconds", in: 1...3600) { config.http.rateLimits.burstSeconds = Double(seconds) }
        if let scope = settings.string("auth.manager_scope") {
            if let parsed = ManagerScope(rawValue: scope) {
                config.managerScope = parsed
            } else {
                settings.problems.append("auth.manager_scope: all or own, not \(scope)")
            }
        }
        if let seconds = settings.int("auth.last_used_write_seconds", in: 1...86400) { config.keyUseWriteSeconds = seconds }
        if let url = settings.string("database.url") {
            do { config.database.url = try DatabaseURL(parsing: url) } catch {
                settings.problems.append("database.url: \(error.description)")
            }
        }
        if let max = settings.int("database.max_connections", in: 1...500) { config.database.maxConnections = max }
        if let name = settings.string("company.name") { config.company.name = name }
        if let zone = settings.string("company.time_zone") {
            if let timeZone = TimeZone(identifier: zone) {
                config.company.timeZone = timeZone
            } else {
                settings.problems.append("company.time_zone: \(zone) is not an IANA time zone (e.g. Europe/Moscow)")
            }
        }
        if let name = settings.string("company.legal_name") { config.company.legalName = name }
        if let inn = settings.string("company.inn") {
            if let valid = try? TaxID(inn) {
                config.company.inn = valid.value
            } else {
                settings.problems.append("company.inn: \(inn) is not a valid INN (10 or 12 digits whose check digits match)")
            }
        }
        if let kpp = settings.string("company.kpp") {
            if kpp.count == 9 && kpp.allSatisfy(\.isNumber) { config.company.kpp = kpp } else { settings.problems.append("company.kpp: 9 digits") }
        }
        if let pattern = settings.string("reconciliation.number_pattern") {
            if let checked = ActNumberPattern(checking: pattern) {
                config.actNumbers = checked
            } else {
                settings.problems.append("reconciliation.number_pattern: needs {SEQ} (e.g. АС-{YYYY}-{MM}-{SEQ:6}), or numbers would repeat")
            }
        }
        if let quarterly = settings.bool("reconciliation.quarterly") { config.quarterlyActs = quarterly }
        if let folder = settings.string("reconciliation.pdf_fonts") {
            let fonts = PDFFonts.inFolder(folder)
            let missing = [fonts.regular, fonts.bold].filter { !FileManager.default.isReadableFile(atPath: $0) }
            if missing.isEmpty {
                config.pdfFonts = fonts
            } else {
                settings.problems.append("reconciliation.pdf_fonts: \(missing.joined(separator: ", ")) not found (DejaVu Sans, regular and bold)")
            }
        }
        if let days = settings.int("reconciliation.generate_within_days", in: 0...60) { config.actDeadlines.generateWithinDays = days }
        if let days = settings.int("reconciliation.answer_within_days", in: 1...365) { config.actDeadlines.answerWithinDays = days }
        if let ogrn = settings.string("reconciliation.edo.ogrn") {
            if ogrn.count == 13 && ogrn.allSatisfy(\.isNumber) {
                config.fns.ogrn = ogrn
            } else {
                settings.problems.append("reconciliation.edo.ogrn: 13 digits")
            }
        }
        config.fns.phone = settings.string("reconciliation.edo.phone")
        config.fns.email = settings.string("reconciliation.edo.email")
        config.fns.edoID = settings.string("reconciliation.edo.edo_id")
        if let surname = settings.string("reconciliation.edo.signatory.surname") {
            if let name = settings.string("reconciliation.edo.signatory.name") {
                config.fns.signatory = FNSExportSettings.Signatory(
                    surname: surname, name: name, patronymic: settings.string("reconciliation.edo.signatory.patronymic"),
                    position: settings.string("reconciliation.edo.signatory.position"))
            } else {
                settings.problems.append("reconciliation.edo.signatory.name: required with the surname")
            }
        }
        if let enabled = settings.bool("scheduler.enabled") { config.scheduler.enabled = enabled }
        if let ms = settings.int("scheduler.poll_interval_ms", in: 50...600_000) { config.scheduler.pollInterval = Double(ms) / 1000 }
        if let ms = settings.int("scheduler.heartbeat_ms", in: 100...600_000) { config.scheduler.heartbeat = Double(ms) / 1000 }
        if let seconds = settings.int("scheduler.grace_seconds", in: 0...86400) { config.scheduler.grace = Double(seconds) }
        if let max = settings.int("scheduler.max_concurrent_runs", in: 1...64) { config.scheduler.maxConcurrentRuns = max }
        if let testMode = settings.bool("scheduler.test_mode") { config.scheduler.testMode = testMode }
        if let ms = settings.int("scheduler.probe_ms", in: 0...60_000) { config.scheduler.probeDuration = Double(ms) / 1000 }
        if let days = settings.int("retention.job_runs_days", in: 1...36500) { config.retention.jobRunsDays = days }
        if let days = settings.int("retention.events_days", in: 1...36500) { config.retention.eventsDays = days }
        if let days = settings.int("retention.webhook_deliveries_days", in: 1...36500) { config.retention.webhookDeliveriesDays = days }
        config.webhooks = webhookSettings(&settings)
        notificationSettings(&settings, into: &config)
        consoleSettings(&settings, into: &config)
        if let code = settings.string("receivables.currency") {
            if let currency = Currency(code: code) {
                config.credit.currency = currency
            } else {
                settings.problems.append("receivables.currency: \(code) is not a currency dealerd knows (RUB, USD, EUR, CNY, KZT, BYN …)")
            }
        }
        if let days = settings.int("receivables.payment_term_days", in: 0...3650) { config.credit.paymentTermDays = days }
        if let count = settings.int("receivables.max_batch_entries", in: 1...100_000) { config.maxBatchEntries = count }
        for segment in segments {
            if let policy = segmentPolicy(segment, base: config.credit.basePolicy, &settings) { config.segmentPolicies[segment] = policy }
        }
        if let bytes = settings.int("receivables.max_import_bytes", in: 1024...(1 << 30)) { config.maxImportBytes = bytes }
        if let hours = settings.int("receivables.breach_reminder_hours", in: 0...8760) {
            config.breachReminder = hours == 0 ? nil : Double(hours) * 3600
        }
        if let levels = settings.intList("receivables.dunning.levels", in: DunningSettings.levelRange) {
            config.dunning.levels = Array(Set(levels)).sorted()
        }
        if let days = settings.int("receivables.dunning.max_promise_days", in: 1...365) { config.dunning.maxPromiseDays = days }
        if let days = settings.intList("accreditation.expiry.reminder_days", in: 1...365) {
            config.accreditationExpiry.reminderDays = Array(Set(days)).sorted(by: >)
        }
        if let text = settings.string("accreditation.expiry.on_expiry") {
            if let action = AccreditationExpiryAction(rawValue: text) {
                config.accreditationExpiry.onExpiry = action
            } else {
                settings.problems.append("accreditation.expiry.on_expiry: expected suspend or alert, got \"\(text)\"")
            }
        }
        if let count = settings.int("rhythm.min_intervals", in: 1...50) { config.rhythm.minIntervals = count }
        if let count = settings.int("rhythm.history_intervals", in: 2...100) { config.rhythm.historyIntervals = count }
        if let percent = settings.int("rhythm.late_tolerance_percent", in: 0...500) { config.rhythm.lateTolerancePercent = percent }
        if let factor = settings.int("rhythm.broken_factor", in: 2...20) { config.rhythm.brokenFactor = factor }
        if config.rhythm.historyIntervals < config.rhythm.minIntervals {
            settings.problems.append("rhythm.history_intervals: at least rhythm.min_intervals (\(config.rhythm.minIntervals))")
        }
        for segment in rhythmSegments {
            if let days = settings.int("rhythm.segment_intervals.\(segment)", in: 1...366) { config.rhythm.segmentIntervals[segment] = days }
        }
        if let percent = settings.int("plans.behind_threshold_percent", in: 0...100) {
            config.plans.thresholdPercent = percent == 0 ? nil : percent
        }
        if let days = settings.int("plans.min_elapsed_days", in: 1...28) { config.plans.minElapsedDays = days }
        dealSettings(&settings, into: &config)
        let registry = JobRegistry.jobs(
            retention: config.retention, testMode: config.scheduler.testMode, probeDuration: config.scheduler.probeDuration,
            companyTimeZone: config.company.timeZone, breachReminder: config.breachReminder,
            accreditationExpiry: config.accreditationExpiry, rhythm: config.rhythm, plans: config.plans, currency: config.credit.currency,
            acts: config.actSettings, quarterlyActs: config.quarterlyActs, kpiSchemes: config.kpiSchemeBook,
            digests: DigestSettings(
                rhythm: config.rhythm, plans: config.plans, deadlines: config.actDeadlines, currency: config.credit.currency),
            notificationRouting: config.notificationRoutingBook, dunning: config.dunning, credit: config.credit, deals: config.deals)
        config.jobs = registry.compactMap { job in
            jobSettings(for: job, companyZone: config.company.timeZone, testMode: config.scheduler.testMode, settings: &settings)
        }
        if let directory = settings.string("accreditation.profiles_dir") { config.profilesDirectory = directory }
        if let directory = settings.string("kpi.schemes_dir") { config.kpiSchemesDirectory = directory }
        if let level = settings.string("log.level") {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                config.logLevel = parsed
            } else {
                settings.problems.append("log.level: expected one of trace, debug, info, notice, warning, error, critical")
            }
        }
        if !settings.problems.isEmpty { throw ConfigError(problems: settings.problems) }
        return config
    }
}

extension ConfigLoader {
    /// The keys of a mapping in the YAML file (the segments under `receivables.segment_policies`):
    /// config keys are read by name, so the names themselves come from the document.
    static func keys(under path: [String], inFile file: String) -> [String] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), var node = try? Yams.load(yaml: text) else { return [] }
        for key in path {
            guard let mapping = node as? [String: Any], let child = mapping[key] else { return [] }
            node = child
        }
        return (node as? [String: Any])?.keys.sorted() ?? []
    }

    /// `receivables.segment_policies.<segment>.*`: the same fields as `PUT …/credit-policy`; a limit is required.
    fileprivate static func segmentPolicy(_ segment: String, base: CreditPolicy, _ settings: inout SettingsReader) -> CreditPolicy? {
        let prefix = "receivables.segment_policies.\(segment)."
        guard !segment.contains("."), settings.string(prefix + "limit") != nil else {
            settings.problems.append(
                "receivables.segment_policies.\(segment): needs at least a limit (and a segment name without dots)")
            return nil
        }
        let draft = CreditPolicyDraft(
            limit: settings.string(prefix + "limit"), currency: settings.string(prefix + "currency"),
            paymentTermDays: settings.int(prefix + "payment_term_days", in: 0...3650),
            graceDays: settings.int(prefix + "grace_days", in: 0...365),
            allowedOverdueDays: settings.int(prefix + "allowed_overdue_days", in: 0...3650),
            minimumOverdue: settings.string(prefix + "minimum_overdue"),
            warningPercent: settings.int(prefix + "warning_percent", in: 1...100), hardBlock: settings.bool(prefix + "hard_block"),
            reason: "config")
        do {
            var policy = try draft.validated(base: base).0
            policy.segment = segment
            return policy
        } catch {
            settings.problems += error.issues.map { prefix + $0.field + ": " + $0.message }
            return nil
        }
    }

    /// `webhooks.*`: the dispatcher, retries, disabling, secrets and which addresses may be targets.
    /// `deals.stages` in funnel order, each titled by `deals.titles.KEY`, and `deals.stall_days`.
    fileprivate static func dealSettings(_ settings: inout SettingsReader, into config: inout DealerdConfig) {
        let keys = settings.list("deals.stages")
        if !keys.isEmpty {
            var stages: [DealSettings.Stage] = []
            for key in keys {
                guard key.count <= 50, key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                    settings.problems.append("deals.stages: \(key) is not a stage key (lower-case latin letters, digits and _, as the CRM sends it)")
                    continue
                }
                guard !stages.contains(where: { $0.key == key }) else {
                    settings.problems.append("deals.stages: \(key) is listed twice")
                    continue
                }
                stages.append(DealSettings.Stage(key: key, title: settings.string("deals.titles.\(key)") ?? key))
            }
            config.deals.stages = stages
        }
        if let days = settings.int("deals.stall_days", in: 1...365) { config.deals.stallDays = days }
    }

    fileprivate static func webhookSettings(_ settings: inout SettingsReader) -> WebhookSettings {
        var webhooks = WebhookSettings(userAgent: "dealerd/\(DealerdVersion.current)")
        if let enabled = settings.bool("webhooks.enabled") { webhooks.enabled = enabled }
        if let ms = settings.int("webhooks.timeout_ms", in: 100...300_000) { webhooks.timeout = Double(ms) / 1000 }
        if let text = settings.string("webhooks.retry_schedule") {
            if let delays = WebhookRetrySchedule.parseDelays(text) {
                webhooks.retry.delays = delays
            } else {
                settings.problems.append("webhooks.retry_schedule: expected waits like \"0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h\" (s, m, h, d)")
            }
        }
        if let percent = settings.int("webhooks.retry_jitter_percent", in: 0...50) { webhooks.retry.jitter = Double(percent) / 100 }
        if let days = settings.int("webhooks.disable_after_days", in: 1...365) { webhooks.disableAfter = Double(days) * 86400 }
        if let hours = settings.int("webhooks.secret_grace_hours", in: 0...720) { webhooks.secretGrace = Double(hours) * 3600 }
        if let count = settings.int("webhooks.concurrency", in: 1...1024) { webhooks.concurrency = count }
        if let ms = settings.int("webhooks.poll_interval_ms", in: 50...600_000) { webhooks.pollInterval = Double(ms) / 1000 }
        if let bytes = settings.int("webhooks.max_response_bytes", in: 1024...(16 << 20)) { webhooks.maxResponseBytes = bytes }
        let hosts = settings.list("webhooks.allowed_hosts")
        var kinds = Set<IPAddressKind>()
        if settings.bool("webhooks.allow_private_networks") == true { kinds.formUnion([.privateNetwork, .uniqueLocal, .sharedAddressSpace]) }
        webhooks.urlPolicy = WebhookURLPolicy(allowedHosts: Set(hosts), allowedKinds: kinds)
        return webhooks
    }

    /// `jobs.<name>.*`: schedule, time_zone, enabled, timeout_seconds, retry_attempts,
    /// retry_backoff_seconds, catch_up, catch_up_cap — each defaulting to the job's own.
    fileprivate static func jobSettings(
        for job: any Job, companyZone: TimeZone, testMode: Bool, settings: inout SettingsReader
    ) -> ScheduledJob? {
        let prefix = "jobs.\(job.name)."
        let defaults = job.defaults
        let expression = settings.string(prefix + "schedule") ?? defaults.schedule
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(parsing: expression, allowSeconds: testMode)
        } catch {
            settings.problems.append("\(prefix)schedule: \(error.description)")
            return nil
        }
        var zone = companyZone
        if let name = settings.string(prefix + "time_zone") {
            guard let parsed = TimeZone(identifier: name) else {
                settings.problems.append("\(prefix)time_zone: \(name) is not an IANA time zone")
                return nil
            }
            zone = parsed
        }
        var catchUp = defaults.catchUp
        if let text = settings.string(prefix + "catch_up") {
            guard let parsed = CatchUpPolicy(rawValue: text) else {
                settings.problems.append("\(prefix)catch_up: expected skip, once or all")
                return nil
            }
            catchUp = parsed
        }
        var retry = RetryPolicy()
        if let attempts = settings.int(prefix + "retry_attempts", in: 1...100) { retry.attempts = attempts }
        if let backoff = settings.int(prefix + "retry_backoff_seconds", in: 0...86400) { retry.backoff = Double(backoff) }
        let timeout = settings.int(prefix + "timeout_seconds", in: 1...86400).map(Double.init) ?? defaults.timeout
        return ScheduledJob(
            job: job,
            settings: JobSettings(
                name: job.name, schedule: schedule, timeZone: zone, enabled: settings.bool(prefix + "enabled") ?? defaults.enabled,
                timeout: timeout, retry: retry, catchUp: catchUp,
                catchUpCap: settings.int(prefix + "catch_up_cap", in: 1...10_000) ?? 24))
    }
}

/// Reads settings as text and parses them here, so a mistyped value is reported rather than replaced
/// by a default.
struct SettingsReader {
    let reader: ConfigReader
    var problems: [String] = []

    func string(_ key: String) -> String? {
        if let text = reader.string(forKey: ConfigKey(key))?.trimmedNonEmpty { return text }
        if let number = reader.int(forKey: ConfigKey(key)) { return String(number) }
        if let flag = reader.bool(forKey: ConfigKey(key)) { return String(flag) }
        return nil
    }

    /// A YAML list, or (from an environment variable) a comma-separated string.
    func list(_ key: String) -> [String] {
        if let items = reader.stringArray(forKey: ConfigKey(key)) { return items.compactMap(\.trimmedNonEmpty) }
        return string(key)?.split(separator: ",").compactMap { String($0).trimmedNonEmpty } ?? []
    }

    mutating func bool(_ key: String) -> Bool? {
        if let flag = reader.bool(forKey: ConfigKey(key)) { return flag }
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            problems.append("\(key): expected true or false, got \"\(text)\"")
            return nil
        }
    }

    /// A YAML list of whole numbers, or (from an environment variable) a comma-separated string.
    mutating func intList(_ key: String, in range: ClosedRange<Int>) -> [Int]? {
        let texts = reader.intArray(forKey: ConfigKey(key))?.map(String.init) ?? list(key)
        guard !texts.isEmpty else { return nil }
        var numbers: [Int] = []
        for text in texts {
            guard let number = Int(text), range.contains(number) else {
                problems.append("\(key): expected whole numbers in \(range.lowerBound)…\(range.upperBound), got \"\(text)\"")
                return nil
            }
            numbers.append(number)
        }
        return numbers
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        if let number = reader.int(forKey: ConfigKey(key)) {
            guard range.contains(number) else {
                problems.append("\(key): \(number) is outside \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return number
        }
        guard let text = string(key) else { return nil }
        guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            problems.append("\(key): expected a whole number, got \"\(text)\"")
            return nil
        }
        guard range.contains(number) else {
            problems.append("\(key): \(number) is outside \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }
}
