/// A problem that stops `serve` before it opens its port. Printed to the operator's terminal, so it may name paths.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
}
