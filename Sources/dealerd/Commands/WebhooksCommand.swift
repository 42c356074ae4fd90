import ArgumentParser
import DealerCore
import DealerJobs
import DealerStore
import Foundation
import Logging

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Webhook endpoints, the delivery log, redelivery and recovery; a signature check for receivers.",
        subcommands: [List.self, Deliveries.self, Redeliver.self, Recover.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every endpoint: state, event types, URL.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let endpoints = try await runAdministrative(config: config) { store in try await store.webhookEndpoints() }
            print(["ID", "STATE", "FAILING SINCE", "EVENT TYPES", "URL", "DESCRIPTION"].joined(separator: "\t"))
            for endpoint in endpoints {
                let state = endpoint.enabled ? "enabled" : "disabled (\(endpoint.disabledReason ?? "-"))"
                print(
                    [
                        endpoint.id.lowercased, state, endpoint.failingSince.map(Timestamp.format) ?? "-",
                        endpoint.events.names.joined(separator: ","), endpoint.url, endpoint.description,
                    ].joined(separator: "\t"))
            }
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An endpoint's delivery log, newest event first.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The endpoint's id.") var endpoint: String
        @Option(help: "Only pending, delivered, exhausted or failed deliveries.") var status: String?
        @Option(help: "Only this event type.") var type: String?
        @Option(help: "Only events about this dealer (id).") var dealer: String?
        @Option(help: "How many deliveries to show.") var limit = 20
        @Flag(help: "Show every attempt under its delivery.") var attempts = false

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let endpointID = try parseID(endpoint, option: "endpoint")
            var query = WebhookDeliveryQuery(limit: min(max(limit, 1), PageSize.maximum))
            if let status {
                guard let parsed = WebhookDeliveryStatus(rawValue: status) else {
                    printError("dealerd: --status: one of \(WebhookDeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    throw ExitCode(64)
                }
                query.status = parsed
            }
            if let type {
                guard let parsed = EventType(rawValue: type) else {
                    printError("dealerd: --type: no event type \(type)")
                    throw ExitCode(64)
                }
                query.eventType = parsed
            }
            if let dealer { query.dealerID = try parseID(dealer, option: "dealer") }
            let page = try await runAdministrative(config: config) { [query] store in
                try await store.webhookDeliveries(endpointID: endpointID, query)
            }
            print(["DELIVERY", "EVENT", "TYPE", "DEALER SEQ", "STATUS", "ATTEMPTS", "LAST", "NEXT ATTEMPT"].joined(separator: "\t"))
            for delivery in page.items {
                let last = delivery.lastStatusCode.map { "HTTP \($0)" } ?? delivery.lastError ?? "-"
                print(
                    [
                        delivery.id.lowercased, delivery.eventID.lowercased, delivery.eventType.rawValue,
                        delivery.dealerSequence.map(String.init) ?? "-", delivery.status.rawValue, String(delivery.attemptCount), last,
                        delivery.nextAttemptAt.map(Timestamp.format) ?? "-",
                    ].joined(separator: "\t"))
                if attempts {
                    for attempt in delivery.attempts {
                        let outcome = attempt.statusCode.map { "HTTP \($0)" } ?? "no answer"
                        print(
                            "  #\(attempt.number) \(Timestamp.format(attempt.startedAt)) \(attempt.durationMilliseconds) ms \(outcome) \(attempt.error ?? "")"
                        )
                    }
                }
            }
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one delivery again with the same webhook-id (audited); a running dealerd sends it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The delivery's id (see `dealerd webhooks deliveries`).") var delivery: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let id = try parseID(delivery, option: "delivery")
            let queued = try await runAdministrative(config: config) { store in try await store.redeliverWebhook(deliveryID: id, by: .cli) }
            print("queued \(queued.id.lowercased) (\(queued.eventType.rawValue), webhook-id \(queued.eventID.lowercased))")
        }
    }

    struct Recover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable an endpoint and send again every failed or exhausted delivery since a time (audited).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The endpoint's id.") var endpoint: String
        @Option(help: "Deliveries created since this instant, e.g. 2026-11-20T00:00:00+03:00.") var since: String

        func run() async throws {
            let config = try await options.loadConfig()
            LogSetup.bootstrap(level: .warning)
            let id = try parseID(endpoint, option: "endpoint")
            guard let start = Timestamp.parse(since) else {
                printError("dealerd: --since: expected an RFC 3339 instant such as 2026-11-20T00:00:00Z")
                throw ExitCode(64)
            }
            let (recovered, queued) = try await runAdministrative(config: config) { store in
                try await store.recoverWebhookEndpoint(id: id, since: start, by: .cli)
            }
            print("endpoint \(recovered.id.lowercased) enabled; \(queued) deliveries queued since \(Timestamp.format(start))")
        }
    }

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

/// A UUID argument; anything else is a usage error naming the option.
func parseID(_ text: String, option: String) throws -> UUID {
    guard let id = UUID(uuidString: text) else {
        printError("dealerd: \(option): expected an id (a UUID), got \(text)")
        throw ExitCode(64)
    }
    return id
}
