import Foundation

/// Everything the operational side shares: metrics, the usage window and the data files' reload history.
public final class Observability: Sendable {
    public let metrics: ServeMetrics
    public let usage: UsageRecorder
    public let fileStatus: DataFileStatusBoard
    /// The console's traffic figures.
    public let traffic: TrafficRecorder

    public init() {
        let metrics = ServeMetrics()
        self.metrics = metrics
        self.usage = UsageRecorder()
        self.traffic = TrafficRecorder()
        self.fileStatus = DataFileStatusBoard(metrics: metrics.factory)
    }
}
