import DealerTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real binary, as an operator runs it: it becomes ready, exports metrics, and exits 0 on SIGTERM.
@Suite("The dealerd binary")
struct ServedBinaryTests {
    @Test func servesProbesAndMetricsAndExitsCleanlyOnSIGTERM() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-bin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ReplicaProcess.binary())
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DEALERD_DATABASE_URL"] = "sqlite://" + folder.appendingPathComponent("d.sqlite").path
        environment["DEALERD_HTTP_PORT"] = String(port)
        environment["DEALERD_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var ready = ""
        for _ in 0..<100 where !ready.contains(" 200 ") {
            try await Task.sleep(for: .milliseconds(100))
            ready = (try? LoopbackHTTP.get(port: port, path: "/readyz")) ?? ""
        }
        #expect(ready.contains(" 200 "))
        _ = try LoopbackHTTP.get(port: port, path: "/v1/dealers")
        let metrics = try LoopbackHTTP.get(port: port, path: "/metrics")
        #expect(metrics.contains(#"hb_requests{http_route="/v1/dealers",http_request_method="GET",http_response_status_code="401"}"#))
        #expect(metrics.contains("dealerd_db_operation_duration"))

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

/// A minimal HTTP/1.0 GET over a loopback socket: enough to probe the binary without a client library.
enum LoopbackHTTP {
    static func get(port: Int, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw TestSetupError(description: "cannot connect to 127.0.0.1:\(port)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
