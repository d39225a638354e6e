/// One job that `PollingService` runs every interval; what it checks, and what it remembers between runs, is its own.
package protocol PeriodicCheck: Sendable {
    /// Runs once when the service starts, before the first interval (by default nothing).
    mutating func start() async
    /// Runs after every interval.
    mutating func run() async
}

extension PeriodicCheck {
    package mutating func start() async {}
}
