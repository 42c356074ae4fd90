import Foundation

/// What kind of network an IP address belongs to, for deciding whether dealerd may send a webhook
/// there. Anything but `publicInternet` is refused unless the operator allows it: a webhook URL must
/// not become a way to reach the machine itself, the office network or a cloud metadata service.
public enum IPAddressKind: String, Sendable, Equatable {
    case publicInternet = "public"
    case loopback
    /// RFC 1918 (10/8, 172.16/12, 192.168/16).
    case privateNetwork = "private"
    /// 169.254/16 (cloud metadata lives here) and fe80::/10.
    case linkLocal = "link-local"
    /// fc00::/7.
    case uniqueLocal = "unique-local"
    /// ::ffff:a.b.c.d and other IPv6 forms that carry an IPv4 address.
    case ipv4Mapped = "ipv4-mapped"
    /// 100.64/10, used by carriers and some clouds' internal networks.
    case sharedAddressSpace = "shared-address-space"
    case unspecified
    case multicast
    /// 0/8, 240/4, broadcast, documentation and benchmarking ranges.
    case reserved

    public static func of(ipv4 bytes: [UInt8]) -> IPAddressKind {
        precondition(bytes.count == 4)
        let (a, b) = (bytes[0], bytes[1])
        switch a {
        case 0: return bytes.allSatisfy { $0 == 0 } ? .unspecified : .reserved
        case 10: return .privateNetwork
        case 127: return .loopback
        case 169 where b == 254: return .linkLocal
        case 172 where (16...31).contains(b): return .privateNetwork
        case 192 where b == 168: return .privateNetwork
        case 100 where (64...127).contains(b): return .sharedAddressSpace
        case 192 where b == 0 && bytes[2] == 2, 198 where b == 51 && bytes[2] == 100, 203 where b == 0 && bytes[2] == 113:
            return .reserved  // documentation ranges
        case 198 where b == 18 || b == 19: return .reserved  // benchmarking
        case 224...239: return .multicast
        case 240...255: return .reserved
        default: return .publicInternet
        }
    }

    public static func of(ipv6 bytes: [UInt8]) -> IPAddressKind {
        precondition(bytes.count == 16)
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        // ::ffff:0:0/96 (mapped), ::/96 (compatible, deprecated), 64:ff9b::/96 (NAT64).
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && ((bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)) {
            return .ipv4Mapped
        }
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B { return .ipv4Mapped }
        if bytes[0] & 0xFE == 0xFC { return .uniqueLocal }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }
        if bytes[0] == 0xFF { return .multicast }
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return .reserved }  // documentation
        return .publicInternet
    }
}
