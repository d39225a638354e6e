/// A problem that stops `serve` before it opens its port. Printed to the operator's terminal, so it may name paths.
package struct StartupError: Error, CustomStringConvertible {
    package let description: String
}
