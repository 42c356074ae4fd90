import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a loopback port, for what an HTTP client library would not do: open
/// and say nothing, trickle a request head byte by byte, or hold thousands of sockets idle.
public final class RawConnection: @unchecked Sendable {
    public let descriptor: Int32

    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestSetupError(description: "connect() failed: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes the connection (or `timeout` passes).
    public func readAll(within timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let read = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if read > 0 { received += buffer[0..<read] } else if read == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether the server has closed this connection (end of file or reset), waiting up to `timeout`.
    public func isClosedByPeer(within timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, min(500, deadline.timeIntervalSinceNow * 1000))))
            if ready > 0 {
                let read = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if read == 0 || (read < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return true }
            }
        }
        return false
    }

    /// The soft open-files limit raised to the hard one (a test holding thousands of sockets needs it).
    public static func raiseOpenFilesLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return UInt64(limit.rlim_cur)
    }
}
