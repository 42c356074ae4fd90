import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import Yams

@testable import dealerd

enum DealerdConfigForTests {
    static func make(_ url: DatabaseURL) async throws -> DealerdConfig {
        var config = try await ConfigLoader.load(path: nil, environment: [:])
        config.database.url = url
        config.logLevel = .warning
        return config
    }
}

func buildTestApplication(_ config: DealerdConfig) async throws -> some ApplicationProtocol {
    try await buildApplication(config: config)
}

/// The process-wide metrics system may be bootstrapped once; tests that read /metrics share it.
let sharedRegistry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

@Suite("Operations")
struct OperationsAPITests {
    @Test(arguments: Backend.available)
    func probesAnswerWithoutAKey(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            #expect(try await api.call(.get, "/healthz", as: nil).json["status"] == .string("ok"))
            let ready = try await api.call(.get, "/readyz", as: nil)
            #expect(ready.status == .ok)
            #expect(ready.json["database"] == .string(backend.rawValue))
            #expect(ready.json["schema_version"] == .number(28))
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await APIHarness.run(.sqlite, registry: sharedRegistry) { api in
            try await api.call(.get, "/v1/dealers")
            try await api.call(.get, "/v1/dealers", as: nil)
            let metrics = try await api.call(.get, "/metrics", as: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"hb_requests{http_route="/v1/dealers",http_request_method="GET",http_response_status_code="200"}"#))
            #expect(metrics.text.contains(#"http_response_status_code="401""#))
            #expect(metrics.text.contains("http_server_request_duration_bucket"))
            #expect(metrics.text.contains(#"dealerd_db_operation_duration_count{db="sqlite",kind="read"}"#))
            #expect(metrics.text.contains("dealerd_db_operations_in_flight"))
        }
    }

    /// The contract: the document lists exactly the routes the server has, with the same roles.
    @Test func theOpenAPIDocumentMatchesTheRouteTable() async throws {
        try await APIHarness.run(.sqlite) { api in
            let served = try await api.call(.get, "/openapi.yaml", as: nil)
            #expect(served.status == .ok)
            let document = try #require(try Yams.load(yaml: served.text) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: [String: [String]] = [:]
            for (path, item) in paths {
                for (method, operation) in item where ["get", "post", "put", "patch", "delete"].contains(method) {
                    let roles = (operation as? [String: Any])?["x-roles"] as? [String]
                    documented["\(method.uppercased()) \(path)"] = (roles ?? ["<missing x-roles>"]).sorted()
                }
            }
            let routes = try await withRouteTable { $0 }
            var routeTable: [String: [String]] = [:]
            for route in routes {
                let roles: [String]
                switch route.access {
                case .open: roles = []
                case .roles(let allowed): roles = allowed.map(\.rawValue).sorted()
                }
                routeTable["\(route.method.rawValue) \(route.path)"] = roles
            }
            #expect(documented == routeTable)
        }
    }

    @Test func gracefulShutdownLetsTheServiceExitCleanly() async throws {
        let database = try await TestDatabase.create(.sqlite)
        defer { database.remove() }
        var config = try await DealerdConfigForTests.make(database.url)
        config.http.port = 0
        let app = try await buildTestApplication(config)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                try await Task.sleep(for: .milliseconds(500))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
