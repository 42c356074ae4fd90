import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server on loopback: aiosmtpd (from PyPI) run by `Tests/Fixtures/smtp/smtp_sink.py`,
/// with STARTTLS or implicit TLS under a certificate made for the test, and AUTH. Every message it
/// accepts is parsed by Python's `email` package, so a test reads what a mail client would show.
public final class SMTPSink: Sendable {
    /// One accepted message as the sink parsed it.
    public struct Message: Sendable, Decodable {
        public var mailFrom: String
        public var rcptTos: [String]
        public var tls: Bool
        public var auth: Bool
        public var subject: String
        public var from: String
        public var to: String
        public var messageId: String
        public var date: String
        public var listUnsubscribe: String?
        public var contentType: String
        public var text: String?
        public var html: String?
        public var rawHeaders: String
        public var attachments: [Attachment]

        public struct Attachment: Sendable, Decodable {
            public var filename: String?
            public var contentType: String
            public var size: Int
            public var path: String
        }
    }

    public let port: Int
    /// The sink's certificate: trust it as the certificate authority (`notifications.smtp.ca_file`).
    public let certificate: String
    public let user = "dealerd"
    public let password: String
    let folder: URL
    let process: Process

    public enum Mode: String, Sendable { case starttls, tls, none }

    /// Starts a sink; `refuse` lists recipients it answers 550 to. Off the cooperative pool: making
    /// the certificate and waiting for the server block a thread for a second or two.
    public static func start(mode: Mode = .starttls, refuse: [String] = []) async throws -> SMTPSink {
        try await offThePool { try SMTPSink(mode: mode, refuse: refuse) }
    }

    private init(mode: Mode, refuse: [String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        password = "pw-" + UUID().uuidString.prefix(8)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj",
            "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSetupError(description: "openssl could not make the sink's certificate") }
        port = try freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/smtp/smtp_sink.py").path
        process = Process()
        // scripts/test's venv has aiosmtpd; elsewhere the python3 on the PATH must.
        let python = ProcessInfo.processInfo.environment["DEALERD_TEST_PYTHON"] ?? "python3"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                python, script, "--port", String(port), "--out", folder.appendingPathComponent("mail.jsonl").path, "--attachments",
                folder.appendingPathComponent("attachments").path, "--cert", certificate, "--key", key, "--mode", mode.rawValue,
                "--user", user, "--password", password,
            ] + refuse.flatMap { ["--refuse", $0] }
        let output = Pipe()
        process.standardOutput = output
        let errors = folder.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        // "ready PORT" once it listens; nothing when aiosmtpd is missing and the script dies.
        let line = output.fileHandleForReading.availableLine(timeout: 20)
        guard line?.hasPrefix("ready") == true else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let reason = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw TestSetupError(
                description: "the SMTP sink did not start (pip install aiosmtpd): \(reason.suffix(500))")
        }
    }

    /// Stops the server: later connections are refused.
    public func stop() async throws {
        // SIGKILL: the test process ignores SIGTERM (service-lifecycle's handlers), and its children inherit that.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try await offThePool { [process] in process.waitUntilExit() }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Every message accepted so far, in order.
    public func messages() -> [Message] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("mail.jsonl"), encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return text.split(separator: "\n").compactMap { try? decoder.decode(Message.self, from: Data($0.utf8)) }
    }

    /// How many messages arrived, without parsing them.
    public func count() -> Int {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("mail.jsonl").path) else { return 0 }
        return data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// How many different Message-IDs arrived (a message sent twice counts once).
    public func distinctMessages() -> Int { Set(messages().map(\.messageId)).count }

    /// Waits until at least `count` messages arrived, then a little more for any surplus.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [Message] {
        try await eventually(timeout: timeout, "\(count) messages at the SMTP sink") { messages().count >= count }
        try await Task.sleep(for: .milliseconds(300))
        return messages()
    }
}

extension FileHandle {
    /// The first line written to this pipe (read a byte at a time, so nothing after it is taken), or
    /// nil if none comes within `timeout` seconds.
    public func availableLine(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = Data()
        let descriptor = fileDescriptor
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            var byte: UInt8 = 0
            guard Glibc.read(descriptor, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: buffer, as: UTF8.self) }
            buffer.append(byte)
        }
        return nil
    }
}
