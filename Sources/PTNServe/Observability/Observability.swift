import Foundation

/// Everything the operational side shares: metrics, the usage window and the data files' reload history.
package final class Observability: Sendable {
    package let metrics: ServeMetrics
    package let usage: UsageRecorder
    package let fileStatus: DataFileStatusBoard
    /// The console's traffic figures.
    package let traffic: TrafficRecorder

    package init() {
        let metrics = ServeMetrics()
        self.metrics = metrics
        self.usage = UsageRecorder()
        self.traffic = TrafficRecorder()
        self.fileStatus = DataFileStatusBoard(metrics: metrics.factory)
    }
}
