/// Why the certificate or key could not be used.
public struct TLSLoadError: Error, CustomStringConvertible {
    public let description: String
}
