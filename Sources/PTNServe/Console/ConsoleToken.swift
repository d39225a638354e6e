import Crypto
import Foundation

/// The console's anti-forgery token: each page load gets `issued.nonce.mac`, where the MAC is HMAC-SHA256 under a
/// secret made at start. The page's script sends it with every change; a cross-site page cannot read it, and the server
/// keeps no table of issued tokens (nothing to grow). A restart invalidates every open console page.
struct ConsoleToken: Sendable {
    /// How long a page may keep changing keys without a reload.
    static let lifetime: Double = 12 * 3600
    /// The key's bytes (SymmetricKey itself is not Sendable).
    private let secretBytes: [UInt8]

    init(secret: [UInt8]? = nil) {
        var generator = SystemRandomNumberGenerator()
        self.secretBytes = secret ?? (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private var secret: SymmetricKey { SymmetricKey(data: secretBytes) }

    /// A new token, issued at `now` (Unix seconds).
    func issue(now: Double = Date().timeIntervalSince1970) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let payload = "\(Int64(now)).\(nonce)"
        return payload + "." + Self.hex(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: secret))
    }

    /// Whether `token` was issued by this process within its lifetime. The MAC check runs in constant time.
    func isValid(_ token: String?, now: Double = Date().timeIntervalSince1970) -> Bool {
        guard let token, token.utf8.count < 200 else { return false }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let issued = Int64(parts[0]), let mac = Self.bytes(hex: parts[2]) else { return false }
        let age = now - Double(issued)
        guard age >= -60, age <= Self.lifetime else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: secret)
    }

    private static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String {
        code.map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(hex: Substring) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var data = Data(capacity: 32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            data.append(byte)
        }
        return data
    }
}
