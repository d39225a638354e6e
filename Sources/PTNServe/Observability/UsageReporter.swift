import Logging

/// Logs the usage report of each interval (PTN's operators read the same view every 5 minutes).
struct UsageReporter: PeriodicCheck {
    let recorder: UsageRecorder
    let logger: Logger

    func run() async {
        Self.log(recorder.drain(), to: logger)
    }

    /// Writes one report, one line per entry so that line-based log tools can grep it.
    static func log(_ report: UsageReport, to logger: Logger) {
        for line in report.lines { logger.info("\(line)", metadata: ["event": "usage"]) }
    }
}
