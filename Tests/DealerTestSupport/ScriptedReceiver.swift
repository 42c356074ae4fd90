import DealerCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// One request as a webhook receiver saw it.
public struct ReceivedRequest: Sendable {
    public var id: String
    public var timestamp: String
    public var signature: String
    public var userAgent: String
    public var contentType: String
    public var body: [UInt8]
    public var arrivedAt: Date

    public var json: [String: JSONValue] {
        guard case .object(let object) = try? DealerJSON.decoder().decode(JSONValue.self, from: Data(body)) else { return [:] }
        return object
    }

    public var type: String? { if case .string(let text) = json["type"] { text } else { nil } }
    public var dealerID: String? { if case .string(let text) = json["dealer_id"] { text } else { nil } }
    public var dealerSequence: Int? { if case .number(let number) = json["dealer_seq"] { Int(truncating: number as NSNumber) } else { nil } }
}

/// What the receiver answers to one request.
public struct Reply: Sendable {
    public var status: HTTPResponse.Status
    public var delay: Duration
    public var headers: [(String, String)]
    public var body: String

    public init(status: HTTPResponse.Status = .ok, delay: Duration = .zero, headers: [(String, String)] = [], body: String = "ok") {
        self.status = status
        self.delay = delay
        self.headers = headers
        self.body = body
    }
}

/// A webhook receiver on loopback whose answers a test scripts: `reply` gets each request and how
/// many times this webhook-id has arrived (1 for the first). It records every request and notices
/// the same id being delivered twice at once.
public final class ScriptedReceiver: Sendable {
    private let state = Mutex<(requests: [ReceivedRequest], inFlight: [String: Int], overlaps: Int)>(([], [:], 0))
    public let port: Int

    init(port: Int) {
        self.port = port
    }

    public var url: String { "http://127.0.0.1:\(port)/hook" }
    public var requests: [ReceivedRequest] { state.withLock { $0.requests } }
    /// Times a webhook-id arrived while an earlier request with the same id was still being answered.
    public var overlaps: Int { state.withLock { $0.overlaps } }

    public func arrivals(of id: String) -> Int { state.withLock { $0.requests.filter { $0.id == id }.count } }

    fileprivate func begin(_ request: ReceivedRequest) -> Int {
        state.withLock { state in
            state.requests.append(request)
            if state.inFlight[request.id, default: 0] > 0 { state.overlaps += 1 }
            state.inFlight[request.id, default: 0] += 1
            return state.requests.filter { $0.id == request.id }.count
        }
    }

    fileprivate func end(_ id: String) {
        state.withLock { $0.inFlight[id, default: 1] -= 1 }
    }
}

/// Runs a scripted receiver for the duration of `body`. `port` 0 picks a free one.
public func withReceiver<T: Sendable>(
    port: Int = 0,
    reply: @escaping @Sendable (ReceivedRequest, Int) async -> Reply = { _, _ in Reply() },
    _ body: @Sendable @escaping (ScriptedReceiver) async throws -> T
) async throws -> T {
    let bound = AsyncStream<Int>.makeStream()
    let holder = Mutex<ScriptedReceiver?>(nil)
    let router = Router()
    router.post("/hook") { request, _ -> Response in
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let received = ReceivedRequest(
            id: request.headers[HTTPField.Name("webhook-id")!] ?? "",
            timestamp: request.headers[HTTPField.Name("webhook-timestamp")!] ?? "",
            signature: request.headers[HTTPField.Name("webhook-signature")!] ?? "",
            userAgent: request.headers[.userAgent] ?? "",
            contentType: request.headers[.contentType] ?? "",
            body: Array(bytes.readableBytesView), arrivedAt: Date())
        guard let receiver = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
        let nth = receiver.begin(received)
        let answer = await reply(received, nth)
        if answer.delay > .zero { try? await Task.sleep(for: answer.delay) }
        receiver.end(received.id)
        var headers = HTTPFields()
        for (name, value) in answer.headers { headers[HTTPField.Name(name)!] = value }
        return Response(status: answer.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) })
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = bound.stream.makeAsyncIterator()
        guard let actualPort = await iterator.next() else { throw CancellationError() }
        let receiver = ScriptedReceiver(port: actualPort)
        holder.withLock { $0 = receiver }
        defer { group.cancelAll() }
        return try await body(receiver)
    }
}

/// Waits until `condition` holds, checking every 50 ms; fails the wait after `timeout`. The default
/// is generous: it only bounds a failing test, and shared CI machines stall for many seconds.
public func eventually(
    timeout: Duration = .seconds(60), _ what: String, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestSetupError(description: "timed out waiting for: \(what)")
}
