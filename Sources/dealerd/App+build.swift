import DealerCore
import DealerHTTP
import DealerJobs
import DealerPDF
import DealerStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The composition root: the only place that knows every module.
///
/// Services run under one group; migrations run before the server accepts its first request; on
/// SIGTERM/SIGINT the server stops accepting, finishes what is in flight, then the database closes.
func buildApplication(
    config: DealerdConfig,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    clock: any NowProvider = SystemNow()
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "dealerd")
        logger.logLevel = config.logLevel
        return logger
    }()
    let database: any StoreDatabase
    var services: [any Service] = []
    var listen: (@Sendable (_ ring: @escaping @Sendable () -> Void) async -> Void)?
    let keyCache = APIKeyCache()
    switch config.database.url {
    case .postgres(let url):
        let postgres = try PostgresStoreDatabase(url: url, maxConnections: config.database.maxConnections, logger: logger)
        services.append(postgres.client)
        database = postgres
        listen = { ring in await postgres.listenForOutboxCommits(ring: ring) }
        services.append(APIKeyRevocationListener(postgres: postgres, cache: keyCache))
    case .sqliteFile, .sqliteMemory:
        let sqlite = try await SQLiteStoreDatabase.open(config.database.url, logger: logger)
        services.append(SQLiteCloser(database: sqlite))
        database = sqlite
    }
    let store = Store(
        database: MeasuredDatabase(database, maxConnections: config.database.maxConnections), clock: clock, apiKeyCache: keyCache,
        secrets: config.secrets, timeZone: config.company.timeZone)
    services.append(APIKeyUseWriter(store: store, interval: .seconds(config.keyUseWriteSeconds), logger: logger))
    let profiles = ProfileLibrary(profiles: config.profiles) { [directory = config.profilesDirectory] in
        try ProfileLoader.load(directory: directory, requireFolder: true)
    }
    services.append(ProfileReloadOnHangup(profiles: profiles, logger: logger))
    let migrated = StartupGate()
    services.append(
        SchedulerService(
            store: store, jobs: config.jobs, settings: config.schedulerSettings, logger: logger,
            ready: { try await migrated.wait() }))
    services.append(
        WebhookDispatcher(store: store, settings: config.webhooks, logger: logger, ready: { try await migrated.wait() }, listen: listen))
    config.notificationRoutingBook.replace(with: config.notifications.enabled ? config.notificationRouting : nil)
    if let routing = config.notificationRouting {
        services.append(
            NotificationDispatcher(
                store: NotificationStore(store), settings: config.notifications, routing: routing, logger: logger,
                ready: { try await migrated.wait() }, listen: listen,
                files: ActLetterFiles(store: store, acts: config.actSettings, fonts: config.pdfFonts, logger: logger).make))
    }
    if let telegram = config.notifications.telegram, telegram.poll, config.notifications.enabled {
        services.append(
            TelegramBot(
                store: NotificationStore(store), client: TelegramClient(settings: telegram),
                answers: TelegramAnswers(store: store, rhythm: config.rhythm, scope: config.managerScope), logger: logger,
                ready: { try await migrated.wait() }))
    }
    let apiSettings = APISettings(
        maxBodyBytes: config.http.maxBodyBytes,
        jobs: config.jobs.map { JobCatalogEntry(settings: $0.settings, summary: $0.job.summary) },
        webhookSecretGrace: config.webhooks.secretGrace,
        webhookTargetCheck: { [policy = config.webhooks.urlPolicy] url in policy.refusal(of: url) },
        credit: config.credit, maxBatchEntries: config.maxBatchEntries,
        maxImportBytes: config.maxImportBytes, profiles: profiles, rhythm: config.rhythm, plans: config.plans, acts: config.actSettings,
        rateLimits: config.http.rateLimits,
        requestTimeout: config.http.requestTimeoutSeconds == 0 ? nil : .seconds(config.http.requestTimeoutSeconds),
        managerScope: config.managerScope, kpiSchemes: config.kpiSchemes,
        telegramLinks: config.notifications.telegram.map { telegram in
            TelegramLinks(lifetime: telegram.linkLifetime, url: { telegram.deepLink($0) })
        }, console: config.consoleSettingsWithConfigText, pdfFonts: config.pdfFonts,
        dunning: config.dunning, deals: config.deals)
    let router = APIServer.router(store: store, settings: apiSettings, registry: registry)
    try await APIServer.addConsole(to: router, store: store, settings: apiSettings)
    var app = Application(
        router: router,
        // The server defends itself: idle and slow connections are closed, request heads are capped,
        // and past `max_connections` new connections wait in the backlog instead of exhausting us.
        server: .http1(
            configuration: .init(
                idleTimeout: .seconds(Int64(config.http.idleTimeoutSeconds)),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: config.http.maxHeaderBytes, maxHeaderListSize: config.http.maxHeaderBytes))),
        configuration: .init(
            address: .hostname(config.http.host, port: config.http.port), serverName: "dealerd", backlog: 1024,
            availableConnectionsDelegate: MaximumAvailableConnections(config.http.maxConnections)),
        services: services,
        logger: logger)
    app.beforeServerStarts {
        try await store.migrate(logger: logger)
        try await store.syncSegmentCreditPolicies(
            config.segmentPolicies, defaults: config.credit, today: store.calendar.today)
        await migrated.open()
        await SecretsStartupCheck.log(store: store, logger: logger)
        if let missing = ActPDF.unavailability(fonts: config.pdfFonts) {
            logger.warning("reconciliation acts cannot be made as PDFs here", metadata: ["reason": .string(missing.reason)])
        }
        logger.info(
            "dealerd ready",
            metadata: [
                "database": .string(config.database.url.redacted), "version": .string(DealerdVersion.current),
            ])
    }
    return app
}

/// Opens once the schema is migrated; services that need the schema wait on it (suspended, not
/// polling), and a waiter cancelled by a shutdown before the gate opened stops waiting.
actor StartupGate {
    private var isOpen = false
    private var waiters: [UUID: CheckedContinuation<Void, any Error>] = [:]

    func open() {
        isOpen = true
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }

    func wait() async throws {
        if isOpen { return }
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}

/// Closes the SQLite connections once everything after it in the group has shut down.
struct SQLiteCloser: Service {
    let database: SQLiteStoreDatabase

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
