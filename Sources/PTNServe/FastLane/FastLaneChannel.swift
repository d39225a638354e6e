import HummingbirdCore
import Logging
import NIOCore

/// Plain HTTP/1.1 (Hummingbird's `HTTP1Channel`) with the fast lane, if any, just before Hummingbird's request
/// handling: after its connection state handler, so the idle timeout and graceful close count the lane's requests and
/// answers as they count its own.
struct FastLaneChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel
    /// Nil with `--fast-lane off`: Hummingbird answers every request.
    let lane: FastLane?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { [lane] value in
            guard let lane else { return value }
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(FastLaneHandler(lane: lane), position: .after(operations.handler(type: HTTPConnectionStateHandler.self)))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
