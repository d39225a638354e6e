import NIOCore
import Testing
@testable import PTNServe

@Suite("--allow-from networks")
struct CIDRTests {
    static func address(_ ip: String) throws -> SocketAddress { try SocketAddress(ipAddress: ip, port: 1) }

    @Test("IPv4 and IPv6 networks match the addresses inside them and no others", arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.168.1.7", "192.168.1.7", true),
        ("192.168.1.7", "192.168.1.8", false), ("0.0.0.0/0", "8.8.8.8", true), ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.0", false), ("2001:db8::/32", "2001:db8:1::5", true), ("2001:db8::/32", "2001:db9::1", false),
        ("::1/128", "::1", true), ("::1", "127.0.0.1", false), ("127.0.0.0/8", "::ffff:127.0.0.1", true),
        ("10.0.0.0/8", "::1", false),
    ])
    func matches(_ network: String, _ ip: String, _ expected: Bool) throws {
        let cidr = try #require(CIDR(parsing: network))
        #expect(cidr.contains(try Self.address(ip)) == expected, "\(network) ∋ \(ip)")
    }

    @Test("malformed networks are refused with the entry named", arguments: ["", "10.0.0.0/33", "::/129", "10.0.0/8", "host.example", "1.2.3.4/", "1.2.3.4/x"])
    func refuses(_ text: String) {
        #expect(CIDR(parsing: text) == nil)
    }

    @Test("a list parses, and its first bad entry is named")
    func list() throws {
        #expect(try CIDR.parseList("10.0.0.0/8, ::1").count == 2)
        #expect(throws: CIDR.InvalidCIDR.self) { try CIDR.parseList("10.0.0.0/8,nope") }
    }
}
