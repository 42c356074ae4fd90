import AsyncHTTPClient
import DealerCore
import Foundation
import NIOCore
import NIOHTTP1

/// The Bot API calls dealerd makes: `sendMessage` (HTML), `sendDocument` (a file, multipart),
/// `getUpdates` (long polling). The token is
/// part of every URL, so URLs are never logged and errors never quote them.
public struct TelegramClient: Sendable {
    /// How a call ended: the API's own refusal or a transport failure.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        /// 429: wait this long before the next call to that chat.
        public var retryAfter: TimeInterval?
        /// 400 and 403 (no such chat, the bot was blocked): retrying will not help.
        public var permanent: Bool
        public var description: String { message }
    }

    /// One incoming message from `getUpdates`.
    public struct Update: Sendable, Equatable {
        public var id: Int64
        public var chatID: String
        public var username: String?
        public var text: String
    }

    let settings: TelegramSettings
    let http: HTTPClient

    public init(settings: TelegramSettings) {
        self.settings = settings
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .milliseconds(Timestamp.clampedInt64((settings.timeout + 35) * 1000))))
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async { try? await http.shutdown() }

    /// Sends HTML text to a chat; returns the message id Telegram gave it.
    public func sendMessage(chatID: String, html: String) async throws -> String {
        let body: JSONValue = .object([
            "chat_id": .string(chatID), "text": .string(html), "parse_mode": .string("HTML"),
            "link_preview_options": .object(["is_disabled": .bool(true)]),
        ])
        let result = try await call("sendMessage", body: body, timeout: settings.timeout)
        if case .number(let id) = result["message_id"] ?? .null { return "\(id)" }
        return "sent"
    }

    /// Sends a file to a chat as a document with a plain caption; returns the message id.
    public func sendDocument(chatID: String, file: MIMEMessage.Attachment, caption: String) async throws -> String {
        let boundary = "dealerd-" + UUID().uuidString
        var body = ByteBuffer()
        func field(_ name: String, _ value: String) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        field("chat_id", chatID)
        // Telegram allows 1,024 characters of caption.
        field("caption", String(caption.prefix(1024)))
        // A file name is UTF-8 as browsers send it; quotes and line breaks would end the header.
        let name = file.filename.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"\(name)\"\r\nContent-Type: \(file.contentType)\r\n\r\n")
        body.writeBytes(file.data)
        body.writeString("\r\n--\(boundary)--\r\n")
        // A file takes longer to go up than a line of text.
        let result = try await call(
            "sendDocument", body: body, contentType: "multipart/form-data; boundary=\(boundary)", timeout: settings.timeout + 30)
        if case .number(let id) = result["message_id"] ?? .null { return "\(id)" }
        return "sent"
    }

    /// Waits up to `wait` seconds for updates after `offset`.
    public func updates(after offset: Int64, wait: Int) async throws -> [Update] {
        let result = try await call(
            "getUpdates",
            body: .object([
                "offset": .number(Decimal(offset + 1)), "timeout": .number(Decimal(wait)), "allowed_updates": .array([.string("message")]),
            ]),
            timeout: TimeInterval(wait) + settings.timeout)
        guard case .array(let items) = result else { return [] }
        return items.compactMap { item in
            guard case .number(let number) = item["update_id"] ?? .null, let id = Int64(exactly: NSDecimalNumber(decimal: number)) else { return nil }
            let message = item["message"] ?? .null
            guard case .number(let chat) = message["chat"]?["id"] ?? .null, case .string(let text) = message["text"] ?? .null else {
                return Update(id: id, chatID: "", username: nil, text: "")
            }
            return Update(id: id, chatID: "\(chat)", username: message["from"]?["username"]?.stringValue, text: text)
        }
    }

    private func call(_ method: String, body: JSONValue, timeout: TimeInterval) async throws -> JSONValue {
        try await call(method, body: ByteBuffer(string: DealerJSON.string(of: body)), contentType: "application/json", timeout: timeout)
    }

    private func call(_ method: String, body: ByteBuffer, contentType: String, timeout: TimeInterval) async throws -> JSONValue {
        var request = HTTPClientRequest(url: "\(settings.apiURL)/bot\(settings.token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(body)
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .milliseconds(Timestamp.clampedInt64(timeout * 1000)))
            bytes = try await response.body.collect(upTo: 4 << 20)
        } catch {
            // The error may quote the URL, and the URL holds the token.
            throw Failure(message: "the Bot API did not answer (\(method)): \(Self.describe(error))", retryAfter: nil, permanent: false)
        }
        let answer = (try? DealerJSON.decoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
        if answer["ok"] == .bool(true) { return answer["result"] ?? .null }
        let description = answer["description"]?.stringValue ?? "HTTP \(response.status.code)"
        var retryAfter: TimeInterval?
        if case .number(let seconds) = answer["parameters"]?["retry_after"] ?? .null { retryAfter = NSDecimalNumber(decimal: seconds).doubleValue }
        let code = Int(response.status.code)
        throw Failure(
            message: "\(method): \(code) \(description.prefix(300))", retryAfter: code == 429 ? (retryAfter ?? 1) : nil,
            permanent: code == 400 || code == 403)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "timed out"
            case .connectTimeout: return "timed out connecting"
            default: return "HTTP client error"
            }
        }
        let text = String(describing: error)
        return text.contains("onnection refused") ? "connection refused" : "transport error"
    }
}
