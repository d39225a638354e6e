import Logging
import ServiceLifecycle

/// Logs the usage report every interval (PTN's operators read the same view every 5 minutes).
public struct UsageReportService: Service {
    private let recorder: UsageRecorder
    private let interval: Duration
    private let logger: Logger

    public init(recorder: UsageRecorder, interval: Duration, logger: Logger) {
        self.recorder = recorder
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [recorder, interval, logger] in
            while !Task.isCancelled {
                // Cancelled at graceful shutdown: stop quietly, not as a failure (which would make the exit code 1).
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                Self.log(recorder.drain(), to: logger)
            }
        }
    }

    /// Writes one report, one line per entry so that line-based log tools can grep it.
    static func log(_ report: UsageReport, to logger: Logger) {
        for line in report.lines { logger.info("\(line)", metadata: ["event": "usage"]) }
    }
}
