import DealerCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A fake of the Telegram Bot API on loopback: `getUpdates` serves the updates a test queues (long
/// polling), `sendMessage` records what the bot sends and can answer 429 with `retry_after`,
/// `sendDocument` records the file a multipart upload carries, and a wrong token is 401, as the
/// real API does.
public final class FakeTelegram: Sendable {
    public struct Sent: Sendable {
        public var chatID: String
        public var text: String
        public var parseMode: String?
        public var at: Date
    }

    /// A file sent with `sendDocument`.
    public struct Document: Sendable {
        public var chatID: String
        public var filename: String
        public var caption: String
        public var data: Data
    }

    private struct State {
        var documents: [Document] = []
        var updates: [(id: Int64, json: JSONValue)] = []
        var nextUpdate: Int64 = 100
        var sent: [Sent] = []
        var tooManyFor: [String: Int] = [:]
        var refused: [String: Int] = [:]
    }

    public let token: String
    public let port: Int
    private let state = Mutex(State())

    init(token: String, port: Int) {
        self.token = token
        self.port = port
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// A user writes `text` to the bot from `chat`.
    public func userWrites(_ text: String, chat: Int64, username: String = "user") {
        state.withLock { state in
            state.nextUpdate += 1
            state.updates.append(
                (
                    state.nextUpdate,
                    .object([
                        "update_id": .number(Decimal(state.nextUpdate)),
                        "message": .object([
                            "message_id": .number(1), "text": .string(text),
                            "chat": .object(["id": .number(Decimal(chat)), "type": .string("private")]),
                            "from": .object(["id": .number(Decimal(chat)), "username": .string(username)]),
                        ]),
                    ])
                ))
        }
    }

    /// The next `times` messages to `chat` are answered 429 with `retry_after: 1`.
    public func tooManyRequests(to chat: String, times: Int) { state.withLock { $0.tooManyFor[chat] = times } }

    public var sent: [Sent] { state.withLock { $0.sent } }
    public var documents: [Document] { state.withLock { $0.documents } }

    fileprivate func received(_ document: Document) -> JSONValue {
        state.withLock { state in
            state.documents.append(document)
            return .object(["ok": .bool(true), "result": .object(["message_id": .number(Decimal(1000 + state.documents.count))])])
        }
    }

    /// The fields and files of a `multipart/form-data` body: name → (filename, bytes).
    static func formParts(_ body: Data, boundary: String) -> [String: (filename: String?, data: Data)] {
        var parts: [String: (filename: String?, data: Data)] = [:]
        let delimiter = Data("--\(boundary)".utf8)
        var cursor = body.startIndex
        while let start = body.range(of: delimiter, in: cursor..<body.endIndex) {
            guard let headersEnd = body.range(of: Data("\r\n\r\n".utf8), in: start.upperBound..<body.endIndex),
                let next = body.range(of: Data("\r\n--\(boundary)".utf8), in: headersEnd.upperBound..<body.endIndex)
            else { break }
            let headers = String(decoding: body[start.upperBound..<headersEnd.lowerBound], as: UTF8.self)
            let name = headers.firstMatch(of: /name="([^"]*)"/).map { String($0.1) } ?? ""
            let filename = headers.firstMatch(of: /filename="([^"]*)"/).map { String($0.1) }
            parts[name] = (filename, Data(body[headersEnd.upperBound..<next.lowerBound]))
            cursor = next.lowerBound + 2
        }
        return parts
    }

    fileprivate func updates(after offset: Int64) -> [JSONValue] {
        state.withLock { state in
            state.updates.removeAll { $0.id < offset }
            return state.updates.map(\.json)
        }
    }

    fileprivate func send(chat: String, text: String, parseMode: String?) -> (HTTPResponse.Status, JSONValue) {
        state.withLock { state in
            if let left = state.tooManyFor[chat], left > 0 {
                state.tooManyFor[chat] = left - 1
                return (
                    .tooManyRequests,
                    .object([
                        "ok": .bool(false), "error_code": .number(429), "description": .string("Too Many Requests: retry after 1"),
                        "parameters": .object(["retry_after": .number(1)]),
                    ])
                )
            }
            state.sent.append(Sent(chatID: chat, text: text, parseMode: parseMode, at: Date()))
            return (.ok, .object(["ok": .bool(true), "result": .object(["message_id": .number(Decimal(state.sent.count))])]))
        }
    }
}

/// Runs `body` with a fake Bot API listening on a loopback port.
public func withFakeTelegram<T: Sendable>(
    token: String = "123456:TEST-token", _ body: @Sendable @escaping (FakeTelegram) async throws -> T
) async throws -> T {
    let bound = AsyncStream<Int>.makeStream()
    let holder = Mutex<FakeTelegram?>(nil)
    let router = Router()
    router.post("/:bot/:method") { request, context -> Response in
        let bytes = try await request.body.collect(upTo: 16 << 20)
        let json = (try? DealerJSON.decoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
        func reply(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
            Response(
                status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: DealerJSON.string(of: value)))
            )
        }
        guard let fake = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
        guard context.parameters.get("bot") == "bot" + fake.token else {
            return reply(.unauthorized, .object(["ok": .bool(false), "error_code": .number(401), "description": .string("Unauthorized")]))
        }
        switch context.parameters.get("method") {
        case "getUpdates":
            var offset: Int64 = 0
            if case .number(let number) = json["offset"] ?? .null { offset = Int64(truncating: NSDecimalNumber(decimal: number)) }
            // Long polling, kept short: answer as soon as there is news, or after a second.
            let deadline = ContinuousClock.now + .seconds(1)
            var updates = fake.updates(after: offset)
            while updates.isEmpty && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
                updates = fake.updates(after: offset)
            }
            return reply(.ok, .object(["ok": .bool(true), "result": .array(updates)]))
        case "sendDocument":
            let type = request.headers[.contentType] ?? ""
            guard let boundary = type.firstMatch(of: /boundary=(\S+)/).map({ String($0.1) }) else {
                return reply(.badRequest, .object(["ok": .bool(false), "error_code": .number(400), "description": .string("not multipart")]))
            }
            let parts = FakeTelegram.formParts(Data(bytes.readableBytesView), boundary: boundary)
            guard let document = parts["document"], let filename = document.filename else {
                return reply(.badRequest, .object(["ok": .bool(false), "error_code": .number(400), "description": .string("no document")]))
            }
            let text = { (name: String) in parts[name].map { String(decoding: $0.data, as: UTF8.self) } ?? "" }
            return reply(
                .ok, fake.received(FakeTelegram.Document(chatID: text("chat_id"), filename: filename, caption: text("caption"), data: document.data)))
        case "sendMessage":
            let chat: String =
                switch json["chat_id"] ?? .null {
                case .string(let text): text
                case .number(let number): "\(number)"
                default: ""
                }
            let (status, value) = fake.send(chat: chat, text: json["text"]?.stringValue ?? "", parseMode: json["parse_mode"]?.stringValue)
            return reply(status, value)
        default:
            return reply(.notFound, .object(["ok": .bool(false), "error_code": .number(404), "description": .string("Not Found")]))
        }
    }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) })
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = bound.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let fake = FakeTelegram(token: token, port: port)
        holder.withLock { $0 = fake }
        defer { group.cancelAll() }
        return try await body(fake)
    }
}
