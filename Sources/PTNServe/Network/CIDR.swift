import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network such as `10.0.0.0/8` or `2001:db8::/32` (a bare address is a single host).
package struct CIDR: Sendable, Equatable, CustomStringConvertible {
    /// The network's address bytes: 4 for IPv4, 16 for IPv6.
    let network: [UInt8]
    /// Leading bits that must match.
    let prefixLength: Int
    package let description: String

    /// Parses `ADDRESS[/PREFIX]`; nil when either part is invalid.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = Self.addressBytes(String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed) else { return nil }
            prefix = parsed
        }
        self.network = bytes
        self.prefixLength = prefix
        self.description = text
    }

    /// Parses a comma-separated list; throws naming the first invalid entry.
    package static func parseList(_ text: String) throws(InvalidCIDR) -> [CIDR] {
        try text.split(separator: ",").map { entry throws(InvalidCIDR) in
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let cidr = CIDR(parsing: trimmed) else { throw InvalidCIDR(text: trimmed) }
            return cidr
        }
    }

    /// An entry of `--allow-from` that is not a network.
    package struct InvalidCIDR: Error, CustomStringConvertible {
        package let text: String
        package var description: String { "\"\(text)\" is not an IPv4 or IPv6 network (ADDRESS or ADDRESS/PREFIX)" }
    }

    /// Whether `address` lies in this network; an IPv4-mapped IPv6 peer (`::ffff:a.b.c.d`) matches IPv4 networks.
    package func contains(_ address: SocketAddress) -> Bool {
        guard var bytes = Self.addressBytes(address) else { return false }
        if network.count == 4, bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func addressBytes(_ address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4): withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: nil
        }
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
