import DealerCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Sends one message per conversation to the configured server (RFC 5321): EHLO, STARTTLS or TLS
/// from the start, AUTH PLAIN or LOGIN, MAIL, RCPT, DATA, QUIT. No listed package speaks SMTP, so
/// this is a small client of our own on NIO and NIOSSL.
public struct SMTPClient: Sendable {
    /// How a conversation ended badly: `permanent` for a 5xx answer to the recipient or the message
    /// (retrying will not help), otherwise worth another try.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var permanent: Bool
        public var description: String { message }
    }

    let settings: SMTPSettings
    let tls: NIOSSLContext?

    public init(settings: SMTPSettings) throws {
        self.settings = settings
        if settings.security == .none {
            tls = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
            tls = try NIOSSLContext(configuration: configuration)
        }
    }

    /// Sends `message` to `recipient`; returns the server's answer to the message (its queue id).
    public func send(_ message: MIMEMessage, to recipient: String) async throws -> String {
        let timedOut = Atomic<Bool>(false)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Timestamp.clampedInt64(min(settings.timeout, 30) * 1000)))
                .connect(host: settings.host, port: settings.port) { [settings, tls] channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .tls, let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(settings.host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            // One deadline for the whole conversation: past it the connection is closed under the reader.
            let watchdog = channel.channel.eventLoop.scheduleTask(in: .milliseconds(Timestamp.clampedInt64(settings.timeout * 1000))) {
                timedOut.store(true, ordering: .relaxed)
                channel.channel.close(promise: nil)
            }
            defer { watchdog.cancel() }
            return try await channel.executeThenClose { inbound, outbound in
                var conversation = Conversation(lines: inbound.makeAsyncIterator(), outbound: outbound)
                try await conversation.expect(220, "greeting")
                var capabilities = try await conversation.command("EHLO \(settings.heloName)", expect: 250, "EHLO")
                if settings.security == .starttls {
                    guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }), let tls else {
                        throw Failure(message: "the server does not offer STARTTLS (set notifications.smtp.security)", permanent: false)
                    }
                    _ = try await conversation.command("STARTTLS", expect: 220, "STARTTLS")
                    // Made on the event loop: a channel handler never crosses threads.
                    try await channel.channel.eventLoop.submit { [host = settings.host] in
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host))
                        try channel.channel.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    capabilities = try await conversation.command("EHLO \(settings.heloName)", expect: 250, "EHLO after STARTTLS")
                }
                if let username = settings.username {
                    try await conversation.authenticate(username: username, password: settings.password ?? "", capabilities: capabilities)
                }
                _ = try await conversation.command("MAIL FROM:<\(settings.from.address)>", expect: 250, "MAIL FROM")
                _ = try await conversation.command("RCPT TO:<\(recipient)>", expect: 250, "RCPT TO", alsoAccept: [251])
                _ = try await conversation.command("DATA", expect: 354, "DATA")
                let accepted = try await conversation.command(Self.dotStuffed(message.rendered()) + ".", expect: 250, "the message")
                // The message is accepted; a failed QUIT changes nothing.
                _ = try? await conversation.command("QUIT", expect: 221, "QUIT")
                return accepted.joined(separator: " ")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            if timedOut.load(ordering: .relaxed) {
                throw Failure(message: "no answer within \(Int(settings.timeout)) s", permanent: false)
            }
            throw Failure(message: "connection to \(settings.host):\(settings.port) failed: \(error)", permanent: false)
        }
    }

    /// A host name for SNI; IP literals are not sent (the certificate is still checked against them).
    static func sniName(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }

    /// Lines that start with a dot get another (RFC 5321 §4.5.2); the text ends with CRLF.
    static func dotStuffed(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.hasPrefix(".") ? "." + $0 : String($0) }
            .joined(separator: "\r\n")
    }

    /// One SMTP conversation: commands out, replies (possibly several lines) in.
    struct Conversation {
        var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        /// Reads one reply; returns its code and its lines' text.
        mutating func reply() async throws -> (Int, [String]) {
            var texts: [String] = []
            while true {
                guard let line = try await lines.next() else {
                    throw Failure(message: "the server closed the connection", permanent: false)
                }
                let code = Int(line.prefix(3))
                guard let code, line.count >= 3 else { throw Failure(message: "not an SMTP reply: \(line.prefix(100))", permanent: false) }
                texts.append(String(line.dropFirst(4)))
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return (code, texts) }
            }
        }

        mutating func expect(_ wanted: Int, _ step: String, alsoAccept: Set<Int> = []) async throws {
            _ = try await check(wanted, step, alsoAccept: alsoAccept)
        }

        mutating func check(_ wanted: Int, _ step: String, alsoAccept: Set<Int>) async throws -> [String] {
            let (code, texts) = try await reply()
            guard code == wanted || alsoAccept.contains(code) else {
                throw Failure(
                    message: "\(step): the server answered \(code) \(texts.joined(separator: " ").prefix(300))",
                    // A 5xx to the recipient or the message is final; to the rest, a setting is wrong.
                    permanent: code >= 500 && (step == "RCPT TO" || step == "the message"))
            }
            return texts
        }

        mutating func command(_ line: String, expect wanted: Int, _ step: String, alsoAccept: Set<Int> = []) async throws -> [String] {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
            return try await check(wanted, step, alsoAccept: alsoAccept)
        }

        mutating func authenticate(username: String, password: String, capabilities: [String]) async throws {
            let auth = capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").map(String.init) ?? []
            if auth.contains("PLAIN") {
                let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
                _ = try await command("AUTH PLAIN \(token)", expect: 235, "AUTH PLAIN")
            } else if auth.contains("LOGIN") {
                _ = try await command("AUTH LOGIN", expect: 334, "AUTH LOGIN")
                _ = try await command(Data(username.utf8).base64EncodedString(), expect: 334, "AUTH LOGIN user")
                _ = try await command(Data(password.utf8).base64EncodedString(), expect: 235, "AUTH LOGIN password")
            } else {
                throw Failure(message: "the server offers neither AUTH PLAIN nor AUTH LOGIN", permanent: false)
            }
        }
    }
}

/// Splits the server's bytes into lines without their CRLF; a line longer than SMTP allows ends the
/// conversation rather than growing without bound.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPClient.Failure(message: "a reply line longer than 4 KB", permanent: false) }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
