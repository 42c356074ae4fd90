import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the service: migrate the database, then serve the API until SIGTERM/SIGINT.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try await options.loadConfig()
        LogSetup.bootstrap(level: config.logLevel)
        OpenFilesLimit.raiseToHardLimit()
        // The process-wide metrics backend: everything recorded with swift-metrics lands in this
        // registry, which /metrics renders.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app = try await buildApplication(config: config, registry: registry)
        try await app.runService()
    }
}
