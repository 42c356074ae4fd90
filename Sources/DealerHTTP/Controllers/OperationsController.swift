import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import Prometheus

/// Probes, metrics and the API contract; open to anyone who can reach the port.
struct OperationsController {
    let store: Store
    let registry: PrometheusCollectorRegistry

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/healthz", .open) { _, _ in
                try JSONBody.response(JSONValue.object(["status": .string("ok")]))
            },
            APIRoute(.get, "/readyz", .open) { _, _ in
                try await readiness()
            },
            APIRoute(.get, "/metrics", .open) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
            },
            APIRoute(.get, "/openapi.yaml", .open) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
            },
        ]
    }

    /// Ready when the database answers and its schema is the one this build expects.
    private func readiness() async throws -> Response {
        guard await store.ping() else {
            throw Problem(.serviceUnavailable, code: "not_ready", title: "Not ready", detail: "the database does not answer")
        }
        let status = try await store.migrationStatus()
        guard status.isCurrent else {
            throw Problem(
                .serviceUnavailable, code: "not_ready", title: "Not ready",
                detail: "the schema is at version \(status.appliedVersion), this build needs \(status.latestVersion): run `dealerd migrate`")
        }
        return try JSONBody.response(
            JSONValue.object([
                "status": .string("ready"), "database": .string(store.database.flavor.rawValue),
                "schema_version": .number(Decimal(status.appliedVersion)),
            ]))
    }
}

/// The OpenAPI 3.1 document shipped inside the binary's resources.
public enum OpenAPIDocument {
    public static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Problem(.internalServerError, code: "internal", title: "The API document is missing from this build")
        }
        return Array(try Data(contentsOf: url))
    }
}
