import AsyncHTTPClient
import DealerCore
import DealerStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends one attempt of a delivery and says what came of it. Never throws: a failure to connect is
/// an outcome like a 500.
final class WebhookSender: Sendable {
    private let settings: WebhookSettings
    private let clients = Mutex<[String: HTTPClient]>([:])
    private let resolutions = Mutex<[String: (target: WebhookURLPolicy.Target, at: ContinuousClock.Instant)]>([:])
    /// Resolved addresses are reused this long: a DNS lookup per attempt would cap throughput.
    private static let resolutionLifetime: Duration = .seconds(30)
    static let loggedResponseBytes = 1024

    init(settings: WebhookSettings) {
        self.settings = settings
    }

    struct Outcome: Sendable {
        var attempt: WebhookAttempt
        var verdict: WebhookResponseVerdict
    }

    func send(_ dispatch: WebhookDispatch, now: @Sendable () -> Date) async -> Outcome {
        let started = now()
        let clock = ContinuousClock()
        let start = clock.now
        func outcome(status: Int?, error: String?, response: String?, verdict: WebhookResponseVerdict) -> Outcome {
            let elapsed = clock.now - start
            let milliseconds = Int(
                clamping: elapsed.components.seconds.saturating(multiplying: 1000) + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return Outcome(
                attempt: WebhookAttempt(
                    number: dispatch.attemptNumber, startedAt: started, durationMilliseconds: milliseconds,
                    statusCode: status, error: error, response: response),
                verdict: verdict)
        }
        if let problem = dispatch.secretProblem {
            return outcome(status: nil, error: problem, response: nil, verdict: .retry(retryAfter: nil))
        }
        let target: WebhookURLPolicy.Target
        do {
            target = try resolve(dispatch.url)
        } catch {
            return outcome(status: nil, error: "refused by the URL policy: \(error.description)", response: nil, verdict: .retry(retryAfter: nil))
        }
        let body = WebhookPayload.body(of: dispatch.event)
        let id = dispatch.event.event.id.lowercased
        let timestamp = Timestamp.wholeSeconds(started)
        // The checked URL (its host lower-cased), so the connection goes to the pinned address.
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: settings.userAgent)
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature", value: WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secrets: dispatch.secrets))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client(for: target).execute(request, timeout: .milliseconds(Timestamp.clampedInt64(settings.timeout * 1000)))
            var kept = ByteBuffer()
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if kept.readableBytes < Self.loggedResponseBytes,
                    let slice = chunk.getSlice(at: chunk.readerIndex, length: min(chunk.readableBytes, Self.loggedResponseBytes - kept.readableBytes))
                {
                    kept.writeImmutableBuffer(slice)
                }
                if read >= settings.maxResponseBytes { break }
            }
            let text = kept.readableBytes == 0 ? nil : String(decoding: kept.readableBytesView, as: UTF8.self)
            let status = Int(response.status.code)
            let verdict = WebhookResponseVerdict.of(statusCode: status, retryAfter: response.headers.first(name: "retry-after"), now: now())
            let error: String? =
                switch verdict {
                case .delivered: nil
                case .gone: "410 Gone"
                case .retry where (300..<400).contains(status): "HTTP \(status): redirects are not followed; subscribe the final URL"
                case .retry: "HTTP \(status)"
                }
            return outcome(status: status, error: error, response: text, verdict: verdict)
        } catch {
            return outcome(status: nil, error: Self.describe(error), response: nil, verdict: .retry(retryAfter: nil))
        }
    }

    /// Closes every connection pool.
    func shutdown() async {
        let all = clients.withLock { pools in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        for client in all { try? await client.shutdown() }
    }

    private func resolve(_ url: String) throws(WebhookURLPolicy.Rejection) -> WebhookURLPolicy.Target {
        let now = ContinuousClock.now
        if let cached = resolutions.withLock({ $0[url] }), now - cached.at < Self.resolutionLifetime { return cached.target }
        let target = try settings.urlPolicy.check(url)
        resolutions.withLock { $0[url] = (target, now) }
        return target
    }

    /// One pool per (host, checked address): the client connects to the address the policy checked,
    /// while TLS still verifies the certificate for the host name.
    private func client(for target: WebhookURLPolicy.Target) -> HTTPClient {
        let address = target.addresses[0]
        let key = target.host + "→" + address
        return clients.withLock { pools in
            if let client = pools[key] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(
                    connect: .milliseconds(Timestamp.clampedInt64(min(settings.timeout, 10) * 1000)),
                    read: .milliseconds(Timestamp.clampedInt64(settings.timeout * 1000))),
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.concurrency),
                decompression: .disabled)
            if address != target.host { configuration.dnsOverride = [target.host: address] }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            pools[key] = client
            return client
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out waiting for the answer"
            case .connectTimeout: return "timed out connecting"
            case .remoteConnectionClosed: return "the receiver closed the connection without an answer"
            default: return "HTTP client error: \(error)"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(300))
    }
}
