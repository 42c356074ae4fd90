import DealerCore
import DealerJobs
import DealerTestSupport
import Foundation
import Testing

/// Signatures checked against an independent implementation: the `standardwebhooks` package from
/// PyPI (installed by scripts/test), on both sides: it signs and `dealerd webhooks verify` checks,
/// and dealerd signs and it verifies.
@Suite("Standard Webhooks signatures")
struct WebhookSignatureTests {
    let secret = WebhookSecret.generate()
    let body = #"{"data":{"dealer_id":"0e04b39b","type":"credit.limit_breached"},"id":"msg_1"}"#

    @Test func theSixStandardCasesOnTheVerifyHelper() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let signed = try Python.sign(secret: secret.text, id: "msg_2Lh9", timestamp: now, body: body)
        let other = WebhookSecret.generate()
        let foreign = try Python.sign(secret: other.text, id: "msg_2Lh9", timestamp: now, body: body)

        // 1. valid
        #expect(try Verify.run(secret: secret.text, id: "msg_2Lh9", timestamp: "\(now)", signature: signed, body: body) == .valid)
        // 2. one valid signature among several (an endpoint in the middle of a secret rotation)
        #expect(
            try Verify.run(secret: secret.text, id: "msg_2Lh9", timestamp: "\(now)", signature: "\(foreign) \(signed) v2,ignored", body: body)
                == .valid)
        // 3. tampered body
        #expect(
            try Verify.run(
                secret: secret.text, id: "msg_2Lh9", timestamp: "\(now)", signature: signed,
                body: body.replacingOccurrences(of: "breached", with: "restored"))
                == .invalid("no v1 signature matches the body and the secret"))
        // 4. wrong secret
        #expect(
            try Verify.run(secret: other.text, id: "msg_2Lh9", timestamp: "\(now)", signature: signed, body: body)
                == .invalid("no v1 signature matches the body and the secret"))
        // 5. stale timestamp, correctly signed
        let stale = now - 600
        let staleSignature = try Python.sign(secret: secret.text, id: "msg_2Lh9", timestamp: stale, body: body)
        #expect(
            try Verify.run(secret: secret.text, id: "msg_2Lh9", timestamp: "\(stale)", signature: staleSignature, body: body)
                == .invalid("webhook-timestamp is more than 5 minutes old (a replay?)"))
        // 6. missing headers
        #expect(
            try Verify.run(secret: secret.text, id: nil, timestamp: "\(now)", signature: nil, body: body)
                == .invalid("missing headers: webhook-id, webhook-signature"))
    }

    @Test func theReferenceLibraryAcceptsWhatDealerdSigns() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let old = WebhookSecret.generate()
        let header = WebhookSignature.sign(id: "evt_1", timestamp: now, body: Array(body.utf8), secrets: [secret, old])
        #expect(header.split(separator: " ").count == 2)
        // During rotation a receiver with either secret accepts the delivery.
        #expect(try Python.verify(secret: secret.text, id: "evt_1", timestamp: now, signature: header, body: body))
        #expect(try Python.verify(secret: old.text, id: "evt_1", timestamp: now, signature: header, body: body))
        #expect(try Python.verify(secret: WebhookSecret.generate().text, id: "evt_1", timestamp: now, signature: header, body: body) == false)
    }

    @Test func secretsAreWhsecBase64OfTwentyFourToSixtyFourBytes() throws {
        #expect(secret.text.hasPrefix("whsec_"))
        #expect(secret.key.count == 32)
        #expect(try WebhookSecret(secret.text) == secret)
        #expect(throws: WebhookSecret.Problem.wrongLength(3)) { try WebhookSecret("whsec_AAAA") }
        #expect(throws: WebhookSecret.Problem.notBase64) { try WebhookSecret("whsec_not base64!") }
        #expect("\(secret)" == "whsec_…")
    }
}

/// The `standardwebhooks` reference package, driven through a Python interpreter.
enum Python {
    static var interpreter: String {
        ProcessInfo.processInfo.environment["DEALERD_TEST_PYTHON"] ?? "python3"
    }

    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func sign(secret: String, id: String, timestamp: Int64, body: String) throws -> String {
        let result = try run(
            """
            import sys, datetime
            from standardwebhooks.webhooks import Webhook
            secret, msg_id, ts, body = sys.argv[1:5]
            print(Webhook(secret).sign(msg_id, datetime.datetime.fromtimestamp(int(ts), tz=datetime.timezone.utc), body))
            """, [secret, id, String(timestamp), body])
        guard result.status == 0, result.output.hasPrefix("v1,") else {
            throw TestSetupError(description: "the standardwebhooks package did not sign (run scripts/test, which installs it): \(result.output)")
        }
        return result.output
    }

    static func verify(secret: String, id: String, timestamp: Int64, signature: String, body: String) throws -> Bool {
        let result = try run(
            """
            import sys
            from standardwebhooks.webhooks import Webhook, WebhookVerificationError
            secret, msg_id, ts, signature, body = sys.argv[1:6]
            try:
                Webhook(secret).verify(body, {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": signature})
                print("valid")
            except WebhookVerificationError as error:
                print("invalid", error)
            """, [secret, id, String(timestamp), signature, body])
        guard result.status == 0 else {
            throw TestSetupError(description: "the standardwebhooks package is not available (run scripts/test): \(result.output)")
        }
        return result.output == "valid"
    }
}

/// `dealerd webhooks verify`, run as a receiver's developer would.
enum Verify {
    enum Result: Equatable {
        case valid
        case invalid(String)
    }

    static func run(secret: String, id: String?, timestamp: String?, signature: String?, body: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ReplicaProcess.binary())
        var arguments = ["webhooks", "verify", "--secret", secret]
        if let id { arguments += ["--id", id] }
        if let timestamp { arguments += ["--timestamp", timestamp] }
        if let signature { arguments += ["--signature", signature] }
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        if process.terminationStatus == 0 && said == "valid" { return .valid }
        return .invalid(complaint.replacingOccurrences(of: "invalid: ", with: ""))
    }
}
