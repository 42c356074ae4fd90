import DealerCore
import DealerJobs
import DealerStore
import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real deliveries checked by an independent implementation: the `standardwebhooks` package from
/// PyPI, running as the receiver on loopback.
@Suite("Deliveries verified by the standardwebhooks reference library")
struct WebhookReferenceReceiverTests {
    static let receiverScript = """
        import json, signal, sys, http.server
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError
        secrets_path, results_path, port_path = sys.argv[1:4]
        # The test process blocks signals in its threads and children inherit the mask.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, range(1, signal.NSIG))

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with open(secrets_path) as f:
                    secrets = json.load(f)
                verified = []
                for index, secret in enumerate(secrets):
                    try:
                        Webhook(secret).verify(body, headers)
                        verified.append(index)
                    except WebhookVerificationError:
                        pass
                with open(results_path, "a") as f:
                    f.write(json.dumps({"id": headers.get("webhook-id"), "type": json.loads(body)["type"], "verified": verified}) + "\\n")
                self.send_response(204 if verified else 400)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
        with open(port_path, "w") as f:
            f.write(str(server.server_address[1]))
        server.serve_forever()
        """

    struct Result: Decodable, Equatable, Sendable {
        var id: String
        var type: String
        var verified: [Int]
    }

    @Test(arguments: Backend.available)
    func everyDeliveryVerifiesAndARotationSignsWithBothSecrets(_ backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-ref-\(UUID().lowercased)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secretsFile = folder.appendingPathComponent("secrets.json")
        let resultsFile = folder.appendingPathComponent("results.jsonl")
        let portFile = folder.appendingPathComponent("port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Python.interpreter, "-c", Self.receiverScript, secretsFile.path, resultsFile.path, portFile.path]
        try process.run()
        defer {
            // SIGKILL: children inherit the test process's blocked signals.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try await eventually("the Python receiver listens") { FileManager.default.fileExists(atPath: portFile.path) }
        let port = try String(contentsOf: portFile, encoding: .utf8)
        @Sendable func results() -> [Result] {
            guard let text = try? String(contentsOf: resultsFile, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Result.self, from: Data($0.utf8)) }
        }

        try await withTestStore(backend) { (store: Store) async throws in
            let (endpoint, original) = try await store.createWebhookEndpoint(
                .init(url: "http://127.0.0.1:\(port)/hook"), by: testActor)
            let stranger = WebhookSecret.generate()
            // Index 0: the endpoint's secret; 1: someone else's, which must never verify.
            try DealerJSON.string(of: [original.text, stranger.text]).write(to: secretsFile, atomically: true, encoding: .utf8)
            try await WebhookDeliveryTests.withDispatcher(store) {
                _ = try await store.createDealer(.sample(), by: testActor)
                _ = try await store.sendWebhookPing(endpointID: endpoint.id, by: testActor)
                try await eventually("two deliveries verified") { results().count == 2 }
                #expect(results().map(\.verified) == [[0], [0]])
                #expect(Set(results().map(\.type)) == ["dealer.created", "webhook.ping"])

                let (_, rotated) = try await store.rotateWebhookSecret(id: endpoint.id, grace: 3600, by: testActor)
                try DealerJSON.string(of: [rotated.text, original.text, stranger.text]).write(
                    to: secretsFile, atomically: true, encoding: .utf8)
                _ = try await store.sendWebhookPing(endpointID: endpoint.id, by: testActor)
                try await eventually("the delivery after rotation") { results().count == 3 }
                #expect(results().last?.verified == [0, 1], "both signatures present: a receiver on either secret accepts it")
                try await eventually("every outcome recorded") {
                    try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items.allSatisfy { $0.status == .delivered }
                }
            }
            let log = try await store.webhookDeliveries(endpointID: endpoint.id, .init()).items
            #expect(log.allSatisfy { $0.status == .delivered && $0.attempts.map(\.statusCode) == [204] })
            #expect(Set(log.map { $0.eventID.lowercased }) == Set(results().map(\.id)))
        }
    }
}
