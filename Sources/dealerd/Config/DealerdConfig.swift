import DealerCore
import DealerHTTP
import DealerJobs
import DealerPDF
import DealerStore
import Foundation
import Logging

/// The whole configuration of a dealerd process, checked once at start.
struct DealerdConfig: Sendable {
    struct HTTP: Sendable {
        var host = "127.0.0.1"
        var port = 8080
        var maxBodyBytes = 1_048_576
        /// A connection that sends nothing, whose request head trickles in, or that idles between
        /// requests is closed after this long.
        var idleTimeoutSeconds = 75
        /// Largest request head (request line and headers); larger ones are refused.
        var maxHeaderBytes = 16_384
        /// Connections served at once; beyond it new ones wait in the listen backlog.
        var maxConnections = 10_000
        /// A request not answered in this time gets 503 (0: no deadline).
        var requestTimeoutSeconds = 30
        var rateLimits = RateLimits()
    }

    struct Database: Sendable {
        var url = DatabaseURL.sqliteFile(path: "var/dealerd.sqlite")
        var maxConnections = 20
    }

    struct Company: Sendable {
        var name = "ООО «Производитель»"
        var timeZone = CivilDate.defaultCompanyTimeZone
        /// As reconciliation acts name our side.
        var legalName: String?
        var inn = ""
        var kpp: String?
    }

    struct Scheduler: Sendable {
        var enabled = true
        var pollInterval: TimeInterval = 1
        var heartbeat: TimeInterval = 5
        var grace: TimeInterval = 60
        var maxConcurrentRuns = 4
        /// Allows a seconds field in schedules and registers the `probe` job. Never in production.
        var testMode = false
        var probeDuration: TimeInterval = 0.3
    }

    var http = HTTP()
    var database = Database()
    var company = Company()
    var scheduler = Scheduler()
    var retention = RetentionSettings()
    var webhooks = WebhookSettings()
    /// Messages to people: the dispatcher and e-mail (`notifications.*`), the routing read from
    /// `notifications/rules.yaml`, and the templates beside it.
    var notifications = NotificationSettings()
    var notificationsDirectory = "Config/notifications"
    var notificationRules: [NotificationRule] = []
    var quietHours = QuietHours(from: 21 * 60, to: 8 * 60)
    var operators: [String] = []
    /// Where people reach the console (`console.url`, else `notifications.console_url`): links in
    /// letters and the sign-in links the CLI prints. Nil: the CLI prints the path only.
    var consoleURL: String?
    var console = ConsoleSettings()

    /// The console's settings with what depends on other sections: letters need SMTP, the
    /// dispatcher and `console.url`.
    var consoleSettings: ConsoleSettings {
        var settings = console
        settings.mailLinks = notifications.enabled && notifications.smtp != nil && notificationRouting != nil && console.publicURL != nil
        return settings
    }

    /// The console's settings with the effective configuration for its operations page.
    var consoleSettingsWithConfigText: ConsoleSettings {
        var settings = consoleSettings
        settings.configText = ConfigCommand.Check.effective(self)
        return settings
    }
    var templates: MessageTemplates?
    var credit = CreditDefaults()
    /// Where the accreditation profiles are (`*.yaml`), and the profiles read from there.
    var profilesDirectory = "Config/profiles"
    var profiles: [AccreditationProfile] = []
    /// Where the KPI schemes are (`*.yaml`, one per sales role), and the schemes read from there.
    var kpiSchemesDirectory = "Config/kpi"
    var kpiSchemes: [SalesRole: KPIScheme] = [:]
    /// The same schemes for the `kpi-close` job, which is built before they are read.
    let kpiSchemeBook = KPISchemeBook()
    /// The routing the digest jobs send by, handed to them once the templates are read.
    let notificationRoutingBook = NotificationRoutingBook()
    /// `notifications.digest_channels`: how a digest reaches its addressee, in order of preference.
    var digestChannels: [NotificationChannel] = [.telegram, .email]
    /// `notifications.max_event_age_hours` (24; 0: none): older events are no news to anyone.
    var maxEventAge: TimeInterval? = 86400
    /// Payment reminders to dealers' accounting, and how far ahead a promise to pay may go.
    var dunning = DunningSettings()
    /// Reminders before an accreditation or a required document expires, and what expiry does.
    var accreditationExpiry = AccreditationExpirySettings()
    /// The sales funnel's stages and when a deal is stalled (`deals`).
    var deals = DealSettings()
    /// How shipment rhythm is judged, and when a month is behind plan.
    var rhythm = RhythmSettings()
    var plans = PlanBehindSettings()
    /// Reconciliation acts: the number pattern and whether quarterly acts are made too.
    var actNumbers = ActNumberPattern()
    var fns = FNSExportSettings(program: "dealerd \(DealerdVersion.current)")
    var actDeadlines = ActDeadlines()
    var quarterlyActs = false
    /// How long the link in an act's letter lets the dealer answer it (`notifications.act_link_days`).
    var actLinkLifetime: TimeInterval = 60 * 86400
    /// The faces of the act's PDF (`reconciliation.pdf_fonts`, a folder with DejaVu Sans).
    var pdfFonts = PDFFonts.debian
    /// Default credit terms of dealers in a segment that have none of their own.
    var segmentPolicies: [String: CreditPolicy] = [:]
    var maxBatchEntries = 5000
    /// Largest CSV file `POST /v1/ledger/import` accepts.
    var maxImportBytes = 64 << 20
    /// Remind of a lasting limit breach this often (nil: never).
    var breachReminder: TimeInterval?
    /// Every job of the registry with its effective settings.
    var jobs: [ScheduledJob] = []
    var logLevel = Logger.Level.info
    /// Seals stored secrets: `DEALERD_SECRETS_KEY`, and `DEALERD_SECRETS_KEY_PREVIOUS` while re-sealing.
    /// Read from the environment only, never from the file.
    var secrets = SecretSealer.none
    /// Whether a manager key sees every dealer or only those it manages or serves (`auth.manager_scope`).
    var managerScope = ManagerScope.all
    /// How often the noted uses of API keys are written to `last_used_at` (and always at shutdown).
    var keyUseWriteSeconds = 30
    /// The file the settings were read from, if any.
    var source: String?
}

/// A configuration that cannot be used; every bad setting is named.
struct ConfigError: Error, CustomStringConvertible {
    var problems: [String]

    var description: String {
        "the configuration is not valid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension DealerdConfig {
    var actSettings: ActSettings {
        ActSettings(
            company: ActParty(name: company.legalName ?? company.name, inn: company.inn, kpp: company.kpp), currency: credit.currency,
            numbers: actNumbers, fns: fns, deadlines: actDeadlines)
    }

    /// How events become messages; nil without templates (a config that was only parsed, not loaded).
    var notificationRouting: NotificationRouting? {
        guard let templates = templates?.linking(to: consoleURL) else { return nil }
        return NotificationRouting(
            rules: notificationRules, channels: notifications.channels, quietHours: quietHours, operators: operators,
            timeZone: company.timeZone, currency: credit.currency, actLinkLifetime: actLinkLifetime, maxEventAge: maxEventAge,
            digestChannels: digestChannels,
            render: { planned, event, facts in templates.render(planned, event: event, facts: facts) },
            renderDigest: { kind, channel, facts in templates.render(kind, channel: channel, facts: facts) })
    }

    var schedulerSettings: SchedulerSettings {
        SchedulerSettings(
            enabled: scheduler.enabled, pollInterval: scheduler.pollInterval, heartbeat: scheduler.heartbeat,
            grace: scheduler.grace, maxConcurrentRuns: scheduler.maxConcurrentRuns)
    }
}
