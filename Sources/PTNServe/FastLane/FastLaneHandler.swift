import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The fast lane on a connection's pipeline, just before Hummingbird's request handling: a request `FastLane` answers
/// is written (head, body and end) and flushed when its end arrives, on the event loop; every other request's parts go
/// on to Hummingbird untouched. It sits after the read timeout and Hummingbird's connection state handler, which see
/// both lanes' requests and answers alike (408s, idle timeout, graceful close).
///
/// Answers leave in request order: while Hummingbird holds a request (its answer's end not yet written), later
/// requests on the connection go to Hummingbird too.
final class FastLaneHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let lane: FastLane
    /// Requests handed to Hummingbird whose answer's end has not passed yet.
    private var handedOn = 0
    /// The parts of the request being read go to Hummingbird.
    private var handingOn = false
    /// The answer to the request being read, written once its end arrives.
    private var answer: [HTTPResponsePart]?
    /// A read was asked for while the connection could not take more output: asked again once it can.
    private var readPending = false
    /// The `Date` field, formatted once a second per connection: no lock shared between event loops.
    private var date = (seconds: Int64(0), text: "")
    /// The key this connection presented last, hashed once.
    private var keyDigest = KeyDigestMemo()

    init(lane: FastLane) {
        self.lane = lane
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if handedOn == 0, let parts = lane.respond(to: head, channel: context.channel, date: currentDate(), memo: &keyDigest) {
                answer = parts
                handingOn = false
            } else {
                answer = nil
                handingOn = true
                handedOn += 1
                context.fireChannelRead(data)
            }
        case .body:
            // A request the lane answers has no body (it would have gone to Hummingbird).
            if handingOn { context.fireChannelRead(data) }
        case .end:
            if handingOn {
                handingOn = false
                context.fireChannelRead(data)
            } else if let parts = answer {
                answer = nil
                for part in parts { context.write(wrapOutboundOut(part), promise: nil) }
                context.flush()
            }
        }
    }

    private func currentDate() -> String {
        let seconds = Int64(Date().timeIntervalSince1970)
        if seconds != date.seconds { date = (seconds, HTTPDate.format(seconds: seconds)) }
        return date.text
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Hummingbird also answers without a request handed on (a parse error's 400): never below zero.
        if case .end = unwrapOutboundIn(data), handedOn > 0 { handedOn -= 1 }
        context.write(data, promise: promise)
    }

    /// Backpressure for the answers written here: no more requests are read while the connection's output is full (a
    /// client pipelining requests it does not read the answers of), as Hummingbird's writer waits for writability.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readPending {
            readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }
}
