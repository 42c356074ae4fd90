import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ports this process has handed out, so two tests never get the same one.
private let handedOut = Mutex<Set<Int>>([])

/// A loopback TCP port nobody listens on right now, for a server a test starts later or for a
/// receiver that is "down".
///
/// It is taken below the kernel's ephemeral range (32768 and up on Linux), where every port bound
/// to 0 lands: a port picked there and left closed for a while could be handed to another test's
/// server meanwhile, which then answered requests meant for this one (a webhook "delivered" to a
/// stranger's receiver).
public func freePort() throws -> Int {
    for _ in 0..<500 {
        let port = Int.random(in: 20_000..<32_768)
        guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
        if try canBind(port) { return port }
    }
    throw TestSetupError(description: "no free loopback port between 20000 and 32767")
}

private func canBind(_ port: Int) throws -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw TestSetupError(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return bound == 0
}
