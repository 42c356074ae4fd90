import ArgumentParser
import DealerJobs
import Foundation

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Tools for webhook receivers.", subcommands: [Verify.self])

    /// For receivers' developers: checks a delivery they captured, exactly as their code should.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a Standard Webhooks signature; the body is read from stdin. Exit 0 when valid.")

        @Option(help: "The endpoint's secret (whsec_…).") var secret: String
        @Option(help: "The webhook-id header.") var id: String?
        @Option(help: "The webhook-timestamp header (Unix seconds).") var timestamp: String?
        @Option(help: "The webhook-signature header (one or more space-separated v1,… values).") var signature: String?
        @Flag(help: "Accept a timestamp of any age (for replaying captured deliveries).") var ignoreTimestamp = false

        func run() async throws {
            let key: WebhookSecret
            do {
                key = try WebhookSecret(secret)
            } catch {
                printError("dealerd: --secret: \(error.description)")
                throw ExitCode(64)
            }
            let body = Array(FileHandle.standardInput.readDataToEndOfFile())
            let now = ignoreTimestamp ? Date(timeIntervalSince1970: Double(timestamp.flatMap { Int64($0) } ?? 0)) : Date()
            do {
                try WebhookSignature.verify(id: id, timestamp: timestamp, signatures: signature, body: body, secret: key, now: now)
                print("valid")
            } catch {
                printError("invalid: \(error.description)")
                throw ExitCode(1)
            }
        }
    }
}
