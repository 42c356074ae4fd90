import DealerCore
import DealerPDF
import DealerStore
import Foundation
import Hummingbird
import Logging
import Prometheus

/// Settings of the HTTP API that come from config.
public struct APISettings: Sendable {
    /// Largest request body accepted, in bytes; larger ones get a 413.
    public var maxBodyBytes: Int
    /// The scheduler's jobs, as configured (for `/v1/jobs`).
    public var jobs: [JobCatalogEntry]
    /// How long a rotated-out webhook secret keeps signing.
    public var webhookSecretGrace: TimeInterval
    /// Checks where a webhook URL resolves to; returns why it is refused, or nil.
    public var webhookTargetCheck: (@Sendable (String) -> String?)?
    /// Contract currency and payment term of dealers without a policy.
    public var credit: CreditDefaults
    /// Most entries one ledger batch may hold; a CSV import is checked in chunks of this size.
    public var maxBatchEntries: Int
    /// Largest CSV file `POST /v1/ledger/import` accepts, in bytes.
    public var maxImportBytes: Int
    /// The accreditation profiles in force (reloadable).
    public var profiles: ProfileLibrary
    /// How shipment rhythm is judged, and from which day of a month its forecast is trusted.
    public var rhythm: RhythmSettings
    public var plans: PlanBehindSettings
    /// Our organisation and act numbering, for reconciliation acts.
    public var acts: ActSettings
    /// Requests a second per key, by role (`http.rate_limit`).
    public var rateLimits: RateLimits
    /// A request not answered in this time gets 503 (`http.request_timeout_seconds`); nil: no deadline.
    public var requestTimeout: Duration?
    /// Whether a manager key sees every dealer or only its own (`auth.manager_scope`).
    public var managerScope: ManagerScope
    /// The bonus scheme of each sales role (`Config/kpi/*.yaml`).
    public var kpiSchemes: [SalesRole: KPIScheme]
    /// Deep links to the Telegram bot; nil when no bot is configured.
    public var telegramLinks: TelegramLinks?
    /// The web console and the dealer cabinet (`console.*`).
    public var console: ConsoleSettings
    /// The TrueType faces the act's PDF is printed in (`acts.pdf_fonts`).
    public var pdfFonts: PDFFonts
    /// Payment reminders and how far ahead a promise to pay may go (`receivables.dunning`).
    public var dunning: DunningSettings
    /// The sales funnel's stages and the stall rule (`deals`).
    public var deals: DealSettings

    public init(
        maxBodyBytes: Int = 1_048_576, jobs: [JobCatalogEntry] = [], webhookSecretGrace: TimeInterval = 86400,
        webhookTargetCheck: (@Sendable (String) -> String?)? = nil, credit: CreditDefaults = CreditDefaults(),
        maxBatchEntries: Int = 5000,
        maxImportBytes: Int = 64 << 20, profiles: ProfileLibrary = ProfileLibrary(profiles: []),
        rhythm: RhythmSettings = RhythmSettings(), plans: PlanBehindSettings = PlanBehindSettings(),
        acts: ActSettings = ActSettings(company: ActParty(name: "ООО «Производитель»", inn: "", kpp: nil)),
        rateLimits: RateLimits = RateLimits(), requestTimeout: Duration? = .seconds(30), managerScope: ManagerScope = .all,
        kpiSchemes: [SalesRole: KPIScheme] = [:], telegramLinks: TelegramLinks? = nil, console: ConsoleSettings = ConsoleSettings(),
        pdfFonts: PDFFonts = .debian, dunning: DunningSettings = DunningSettings(), deals: DealSettings = DealSettings()
    ) {
        self.dunning = dunning
        self.deals = deals
        self.pdfFonts = pdfFonts
        self.console = console
        self.telegramLinks = telegramLinks
        self.kpiSchemes = kpiSchemes
        self.managerScope = managerScope
        self.rateLimits = rateLimits
        self.requestTimeout = requestTimeout
        self.acts = acts
        self.rhythm = rhythm
        self.plans = plans
        self.maxImportBytes = maxImportBytes
        self.profiles = profiles
        self.credit = credit
        self.maxBatchEntries = maxBatchEntries
        self.maxBodyBytes = maxBodyBytes
        self.jobs = jobs
        self.webhookSecretGrace = webhookSecretGrace
        self.webhookTargetCheck = webhookTargetCheck
    }
}

/// A job as the API shows it.
public struct JobCatalogEntry: Sendable {
    public var settings: JobSettings
    public var summary: String

    public init(settings: JobSettings, summary: String) {
        self.settings = settings
        self.summary = summary
    }
}

/// How the API makes a Telegram deep link: the code's lifetime and the link around a code.
public struct TelegramLinks: Sendable {
    public var lifetime: TimeInterval
    public var url: @Sendable (String) -> String

    public init(lifetime: TimeInterval, url: @escaping @Sendable (String) -> String) {
        self.lifetime = lifetime
        self.url = url
    }
}

/// Builds the router: every route of the API, its authorization and the error and metrics layers.
public enum APIServer {
    /// Every route the server answers, with the roles that may call it.
    public static func routes(store: Store, settings: APISettings, registry: PrometheusCollectorRegistry) -> [APIRoute] {
        OperationsController(store: store, registry: registry).routes
            + ManagersController(store: store, maxBodyBytes: settings.maxBodyBytes).routes
            + DealersController(store: store, maxBodyBytes: settings.maxBodyBytes).routes
            + FeedsController(store: store).routes
            + JobsController(store: store, jobs: settings.jobs, maxBodyBytes: settings.maxBodyBytes).routes
            + WebhooksController(store: store, settings: settings).routes
            + ReceivablesController(store: store, settings: settings).routes
            + LedgerImportController(store: store, settings: settings).routes
            + ProfilesController(profiles: settings.profiles).routes
            + AccreditationController(store: store, settings: settings).routes
            + DocumentsController(store: store, maxBodyBytes: settings.maxBodyBytes).routes
            + PromisesController(store: store, settings: settings).routes
            + RhythmController(store: store, settings: settings).routes
            + PlansController(store: store, settings: settings).routes
            + ReconciliationActsController(store: store, settings: settings).routes
            + ScorecardsController(store: store, settings: settings).routes
            + KPIValuesController(store: store, settings: settings).routes
            + DealsController(store: store, settings: settings).routes
            + ReportsController(store: store, settings: settings).routes
            + NotificationsController(
                store: NotificationStore(store), managers: store, maxBodyBytes: settings.maxBodyBytes, telegram: settings.telegramLinks
            ).routes
    }

    public static func router(store: Store, settings: APISettings, registry: PrometheusCollectorRegistry) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        // Outermost first: metrics see the final status, the request log wraps the problem mapping.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        let authenticator = Authenticator(
            store: store, rateLimiter: RateLimiter(limits: settings.rateLimits, now: store.clock.now()), managerScope: settings.managerScope)
        for route in routes(store: store, settings: settings, registry: registry) {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                try await RequestDeadline.run(within: settings.requestTimeout, logger: context.logger, path: request.uri.path) {
                    var context = context
                    try await authenticator.authorize(request, context: &context, route: route)
                    try QueryParameters.refuseNUL(in: request)
                    return try await route.handler(request, context)
                }
            }
        }
        return router
    }

    /// Adds the console's pages to `router` (when `console.enabled`): its templates load here, so a
    /// broken one stops the start with its name rather than a page later.
    public static func addConsole(to router: Router<APIContext>, store: Store, settings: APISettings) async throws {
        guard settings.console.enabled else { return }
        let controller = ConsoleController(
            store: store, accounts: ConsoleStore(store), pages: try await ConsolePages.load(), api: settings,
            hasher: PasswordHasher(cost: settings.console.passwordCost))
        controller.register(on: router)
    }
}
