import DealerCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which webhook URLs dealerd accepts and which addresses it will connect to.
///
/// Only `http` and `https`, with a host, without credentials in the URL. Every address the host
/// resolves to must be on the public internet unless the operator allows it (an on-premises ERP, or
/// a receiver on loopback in tests); the dispatcher connects to the address that was checked, so a
/// DNS answer cannot change between the check and the connection.
public struct WebhookURLPolicy: Sendable {
    /// Hosts (names or IP literals, lower case) that may resolve to non-public addresses.
    public var allowedHosts: Set<String>
    /// Address kinds allowed for every host (e.g. `private` for a company that delivers in-house only).
    public var allowedKinds: Set<IPAddressKind>

    public init(allowedHosts: Set<String> = [], allowedKinds: Set<IPAddressKind> = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        self.allowedKinds = allowedKinds
    }

    public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A checked target: where to connect and what to send as the Host.
    public struct Target: Sendable, Equatable {
        public var url: URL
        public var host: String
        public var port: Int
        public var addresses: [String]
    }

    /// Checks the URL's form only (at subscription time, before any DNS lookup).
    public func validateForm(_ text: String) throws(Rejection) -> URLComponents {
        if let problem = WebhookURL.problem(with: text) { throw Rejection(description: problem) }
        guard let components = URLComponents(string: text), components.host?.isEmpty == false else {
            throw Rejection(description: "not a URL with a host")
        }
        return components
    }

    /// Checks the form and every address the host resolves to now.
    public func check(_ text: String) throws(Rejection) -> Target {
        var components = try validateForm(text)
        // Host names are case-insensitive, but the HTTP client's DNS override is keyed by the exact
        // text: the URL we request carries the same lower-cased host that was checked and pinned, so
        // `HOOKS.Example.com` cannot slip past the pin to a fresh lookup.
        components.host = components.host?.lowercased()
        let host = (components.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let resolved = try Self.resolve(host: host)
        guard !resolved.isEmpty else { throw Rejection(description: "\(host) does not resolve") }
        if !allowedHosts.contains(host) {
            for (address, kind) in resolved where kind != .publicInternet && !allowedKinds.contains(kind) {
                throw Rejection(
                    description: "\(host) resolves to \(address), a \(kind.rawValue) address; allow it in webhooks.allowed_hosts if this is intended")
            }
        }
        guard let url = components.url else { throw Rejection(description: "not a URL with a host") }
        return Target(url: url, host: host, port: port, addresses: resolved.map(\.0))
    }

    /// Why the URL may not be a target now, or nil when it may.
    public func refusal(of url: String) -> String? {
        do {
            _ = try check(url)
            return nil
        } catch {
            return error.description
        }
    }

    /// Every address of a host (an IP literal resolves to itself), with its kind.
    static func resolve(host: String) throws(Rejection) -> [(String, IPAddressKind)] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Rejection(description: "\(host) does not resolve (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }
        var results: [(String, IPAddressKind)] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    var bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    let raw = withUnsafeBytes(of: &bytes) { Array($0) }
                    results.append((raw.map(String.init).joined(separator: "."), IPAddressKind.of(ipv4: raw)))
                case AF_INET6:
                    var bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    let raw = withUnsafeBytes(of: &bytes) { Array($0) }
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count))
                    let printable = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
                    results.append((String(decoding: printable, as: UTF8.self), IPAddressKind.of(ipv6: raw)))
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        var seen = Set<String>()
        return results.filter { seen.insert($0.0).inserted }
    }
}
