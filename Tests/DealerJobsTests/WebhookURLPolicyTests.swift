import DealerJobs
import Foundation
import Testing

@Suite("Webhook URL safety")
struct WebhookURLPolicyTests {
    @Test(
        arguments: [
            ([8, 8, 8, 8], IPAddressKind.publicInternet),
            ([127, 0, 0, 1], .loopback),
            ([10, 1, 2, 3], .privateNetwork),
            ([172, 16, 0, 1], .privateNetwork),
            ([172, 32, 0, 1], .publicInternet),
            ([192, 168, 1, 1], .privateNetwork),
            ([169, 254, 169, 254], .linkLocal),
            ([100, 64, 0, 1], .sharedAddressSpace),
            ([0, 0, 0, 0], .unspecified),
            ([224, 0, 0, 1], .multicast),
            ([255, 255, 255, 255], .reserved),
            // The IANA IPv4 special-purpose registry beyond RFC 1918.
            ([192, 0, 0, 8], .reserved),
            ([192, 0, 2, 1], .reserved),
            ([198, 18, 0, 1], .reserved),
            ([198, 19, 255, 254], .reserved),
            ([198, 20, 0, 1], .publicInternet),
            ([192, 88, 99, 1], .reserved),
            ([240, 0, 0, 1], .reserved),
            ([1, 2, 3], .reserved),
        ] as [([UInt8], IPAddressKind)])
    func classifiesIPv4(_ bytes: [UInt8], _ kind: IPAddressKind) {
        #expect(IPAddressKind.of(ipv4: bytes) == kind)
    }

    @Test func classifiesIPv6() {
        func v6(_ prefix: [UInt8], _ suffix: [UInt8] = []) -> [UInt8] {
            prefix + [UInt8](repeating: 0, count: 16 - prefix.count - suffix.count) + suffix
        }
        #expect(IPAddressKind.of(ipv6: v6([], [1])) == .loopback)
        // Forms that embed an IPv4 address are judged by it: loopback stays loopback.
        #expect(IPAddressKind.of(ipv6: v6([], [0xFF, 0xFF, 127, 0, 0, 1])) == .loopback)
        #expect(IPAddressKind.of(ipv6: v6([], [0xFF, 0xFF, 8, 8, 8, 8])) == .ipv4Mapped)
        #expect(IPAddressKind.of(ipv6: v6([0x00, 0x64, 0xFF, 0x9B], [127, 0, 0, 1])) == .loopback)
        #expect(IPAddressKind.of(ipv6: v6([0x00, 0x64, 0xFF, 0x9B], [10, 0, 0, 1])) == .privateNetwork)
        #expect(IPAddressKind.of(ipv6: v6([0x00, 0x64, 0xFF, 0x9B], [8, 8, 8, 8])) == .ipv4Mapped)
        #expect(IPAddressKind.of(ipv6: v6([0x20, 0x02, 169, 254, 169, 254])) == .linkLocal, "6to4 of the metadata address")
        #expect(IPAddressKind.of(ipv6: v6([0x20, 0x02, 192, 168, 0, 1])) == .privateNetwork)
        #expect(IPAddressKind.of(ipv6: v6([0xFE, 0xC0], [1])) == .privateNetwork, "fec0::/10, the deprecated site-local")
        #expect(IPAddressKind.of(ipv6: v6([0x01, 0x00], [1])) == .reserved, "100::/64, discard-only")
        #expect(IPAddressKind.of(ipv6: v6([0x20, 0x01, 0x00, 0x00], [1])) == .reserved, "Teredo")
        #expect(IPAddressKind.of(ipv6: v6([0x20, 0x01, 0x0D, 0xB8], [1])) == .reserved, "documentation")
        #expect(IPAddressKind.of(ipv6: v6([0x40, 0x00], [1])) == .reserved, "outside 2000::/3 nothing is assigned")
        #expect(IPAddressKind.of(ipv6: [1, 2, 3]) == .reserved)
        #expect(IPAddressKind.of(ipv6: v6([0xFD, 0x12])) == .uniqueLocal)
        #expect(IPAddressKind.of(ipv6: v6([0xFE, 0x80], [1])) == .linkLocal)
        #expect(IPAddressKind.of(ipv6: v6([0x26, 0x06, 0x47, 0x00], [1])) == .publicInternet)
        #expect(IPAddressKind.of(ipv6: v6([])) == .unspecified)
    }

    @Test(arguments: [
        ("ftp://example.com/hook", "only http and https URLs are allowed, not ftp"),
        ("file:///etc/passwd", "only http and https URLs are allowed, not file"),
        ("http:///hook", "the URL has no host"),
        ("https://user:pass@example.com/", "credentials in the URL are not allowed; the signature authenticates dealerd"),
        ("http://127.0.0.1:9000/hook", "127.0.0.1 resolves to 127.0.0.1, a loopback address; allow it in webhooks.allowed_hosts if this is intended"),
        ("http://localhost/hook", "localhost resolves to 127.0.0.1, a loopback address; allow it in webhooks.allowed_hosts if this is intended"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254 resolves to 169.254.169.254, a link-local address; allow it in webhooks.allowed_hosts if this is intended"
        ),
        ("http://10.0.0.5/erp", "10.0.0.5 resolves to 10.0.0.5, a private address; allow it in webhooks.allowed_hosts if this is intended"),
        ("http://[::1]/hook", "::1 resolves to ::1, a loopback address; allow it in webhooks.allowed_hosts if this is intended"),
        (
            "http://[::ffff:127.0.0.1]/hook",
            "::ffff:127.0.0.1 resolves to ::ffff:127.0.0.1, a loopback address; allow it in webhooks.allowed_hosts if this is intended"
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/hook",
            "64:ff9b::a9fe:a9fe resolves to 64:ff9b::a9fe:a9fe, a link-local address; allow it in webhooks.allowed_hosts if this is intended"
        ),
        ("http://LOCALHOST/hook", "localhost resolves to 127.0.0.1, a loopback address; allow it in webhooks.allowed_hosts if this is intended"),
        ("http://[fd00::1]/hook", "fd00::1 resolves to fd00::1, a unique-local address; allow it in webhooks.allowed_hosts if this is intended"),
    ])
    func refusesWhatIsNotThePublicInternet(_ url: String, _ reason: String) {
        do {
            _ = try WebhookURLPolicy().check(url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description == reason)
        }
    }

    /// The URL requested is the one checked: its host lower-cased, so the client's pinned address
    /// (keyed by that text) is the one it connects to, whatever the case the URL was written in.
    @Test func theCheckedURLCarriesTheHostThatWasPinned() throws {
        let target = try WebhookURLPolicy(allowedHosts: ["localhost"]).check("http://LocalHost:9000/Hook?A=B")
        #expect(target.host == "localhost")
        #expect(target.url.absoluteString == "http://localhost:9000/Hook?A=B")
        #expect(target.url.host == target.host)
    }

    @Test func anOperatorCanAllowAHostOrAKindOfNetwork() throws {
        let target = try WebhookURLPolicy(allowedHosts: ["127.0.0.1"]).check("http://127.0.0.1:9000/hook")
        #expect(target.addresses == ["127.0.0.1"])
        #expect(target.port == 9000)
        #expect(try WebhookURLPolicy(allowedKinds: [.privateNetwork]).check("https://10.0.0.5/erp").port == 443)
        #expect(throws: WebhookURLPolicy.Rejection.self) { try WebhookURLPolicy(allowedKinds: [.privateNetwork]).check("http://127.0.0.1/") }
    }
}
