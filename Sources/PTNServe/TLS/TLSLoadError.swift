/// Why the certificate or key could not be used.
package struct TLSLoadError: Error, CustomStringConvertible {
    package let description: String
}
