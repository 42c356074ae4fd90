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

    /// Classifies an IPv4 address by the IANA IPv4 Special-Purpose Address Registry; anything that is
    /// not four bytes is `reserved` (refused).
    public static func of(ipv4 bytes: [UInt8]) -> IPAddressKind {
        guard bytes.count == 4 else { return .reserved }
        let (a, b, c) = (bytes[0], bytes[1], bytes[2])
        switch a {
        case 0: return bytes.allSatisfy { $0 == 0 } ? .unspecified : .reserved  // "this network"
        case 10: return .privateNetwork
        case 127: return .loopback
        case 169 where b == 254: return .linkLocal
        case 172 where (16...31).contains(b): return .privateNetwork
        case 192 where b == 168: return .privateNetwork
        case 100 where (64...127).contains(b): return .sharedAddressSpace
        // 192.0.0.0/24 (IETF protocol assignments, DS-Lite, NAT64 discovery), 192.0.2/24, 198.51.100/24,
        // 203.0.113/24 (documentation), 192.88.99/24 (the retired 6to4 relay anycast).
        case 192 where b == 0 && (c == 0 || c == 2), 198 where b == 51 && c == 100, 203 where b == 0 && c == 113,
            192 where b == 88 && c == 99:
            return .reserved
        case 198 where b == 18 || b == 19: return .reserved  // benchmarking, 198.18.0.0/15
        case 224...239: return .multicast
        case 240...255: return .reserved  // 240/4 and the limited broadcast
        default: return .publicInternet
        }
    }

    /// Classifies an IPv6 address by the IANA IPv6 Special-Purpose Address Registry. A form that
    /// carries an IPv4 address (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address it
    /// embeds, so `64:ff9b::7f00:1` is loopback; anything that is not sixteen bytes is `reserved`.
    public static func of(ipv6 bytes: [UInt8]) -> IPAddressKind {
        guard bytes.count == 16 else { return .reserved }
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        let prefix = { (count: Int) -> [UInt8] in Array(bytes[0..<count]) }
        // ::ffff:0:0/96 (mapped) and ::/96 (compatible, deprecated): the last four bytes.
        if prefix(10).allSatisfy({ $0 == 0 }) && ((bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)) {
            return embedded(of(ipv4: Array(bytes[12..<16])))
        }
        // 64:ff9b::/96 (well-known NAT64) and 64:ff9b:1::/48 (local-use NAT64).
        if prefix(12) == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return embedded(of(ipv4: Array(bytes[12..<16]))) }
        if prefix(6) == [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01] { return .privateNetwork }
        // 2002::/16 (6to4): the IPv4 address in bytes 2…5.
        if prefix(2) == [0x20, 0x02] { return embedded(of(ipv4: Array(bytes[2..<6]))) }
        // 100::/64 (discard-only).
        if prefix(8) == [0x01, 0x00, 0, 0, 0, 0, 0, 0] { return .reserved }
        // 2001::/23 (IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID…).
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] & 0xFE == 0x00 { return .reserved }
        if prefix(4) == [0x20, 0x01, 0x0D, 0xB8] { return .reserved }  // 2001:db8::/32, documentation
        if prefix(2) == [0x3F, 0xFF] && bytes[2] & 0xF0 == 0x00 { return .reserved }  // 3fff::/20, documentation
        if prefix(2) == [0x5F, 0x00] { return .reserved }  // 5f00::/16, segment routing
        if bytes[0] & 0xFE == 0xFC { return .uniqueLocal }  // fc00::/7
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }  // fe80::/10
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return .privateNetwork }  // fec0::/10, deprecated site-local
        if bytes[0] == 0xFF { return .multicast }
        // Only 2000::/3 is global unicast; the rest of the space is unassigned.
        if bytes[0] & 0xE0 != 0x20 { return .reserved }
        return .publicInternet
    }

    /// An IPv6 form that carries an IPv4 address is as reachable as that address: a public one is
    /// still refused as `ipv4Mapped` (the operator allows it by that name), any other keeps its kind.
    private static func embedded(_ kind: IPAddressKind) -> IPAddressKind {
        kind == .publicInternet ? .ipv4Mapped : kind
    }
}
