// The benchmark's floor (bench/run.sh): every file of a directory held in memory and answered as it is, with no
// middleware, no key check and no index: what a large in-memory body costs to send through Hummingbird 2 (or, with
// `--nio`, through NIO's HTTP/1 pipeline alone), beside nginx serving the same files with sendfile.
//
//   bench-bare-hummingbird --dir DIR --port PORT [--host 127.0.0.1] [--nio]
//
// GET /<path under DIR> answers that file's bytes as application/json; anything else is a 404.
//
// The write-path experiments of bench/HISTORY.md, switched by environment, on every accepted connection:
// BARE_SNDBUF=bytes (SO_SNDBUF), BARE_HIGH_WATER=bytes (write buffer water marks, low = high / 2), BARE_WRITE_SPIN=n,
// BARE_NODELAY=0|1; Hummingbird only: BARE_EL_EXECUTOR=1 (a connection's handling on its event loop, no thread hop);
// NIO only: BARE_SENDFILE=1 (the file sent with sendfile, opened per request as nginx does).
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOPosix

struct Options {
    var directory = ""
    var host = "127.0.0.1"
    var port = 8080
    var nio = false

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--dir": directory = rest.popFirst() ?? ""
            case "--host": host = rest.popFirst() ?? host
            case "--port": port = rest.popFirst().flatMap(Int.init) ?? port
            case "--nio": nio = true
            default:
                FileHandle.standardError.write(Data("usage: bench-bare-hummingbird --dir DIR --port PORT [--host H] [--nio]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Every regular file under `directory` (symbolic links followed), by "/relative/path".
func loadBodies(_ directory: String) throws -> [String: ByteBuffer] {
    var bodies: [String: ByteBuffer] = [:]
    func load(_ folder: String, prefix: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try load(path, prefix: prefix + "/" + name)
            } else if let data = FileManager.default.contents(atPath: path) {
                bodies[prefix + "/" + name] = ByteBuffer(bytes: data)
            }
        }
    }
    try load(directory, prefix: "")
    return bodies
}

/// NIO alone: HTTP/1 parsing and encoding, head and body written together and flushed once.
final class StaticBodyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let bodies: [String: ByteBuffer]
    let directory: String
    var uri = ""
    var keepAlive = true

    init(bodies: [String: ByteBuffer], directory: String) {
        self.bodies = bodies
        self.directory = directory
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let body = bodies[uri]
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "\(body?.readableBytes ?? 0)")
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: body == nil ? .notFound : .ok, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var file: NIOFileHandle?
            if let body {
                if knob("BARE_SENDFILE") == 1, let handle = try? NIOFileHandle(_deprecatedPath: directory + uri),
                    let region = try? FileRegion(fileHandle: handle)
                {
                    file = handle
                    context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: nil)
                } else {
                    context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
                }
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if let file { done.whenComplete { _ in try? file.close() } }
            if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        }
    }
}

// The experiments' switches (see the top of this file).
let knobs = ProcessInfo.processInfo.environment
func knob(_ name: String) -> Int? { knobs[name].flatMap(Int.init) }

func tune(_ channel: any Channel) throws {
    let options = channel.syncOptions!
    if let v = knob("BARE_SNDBUF") { try options.setOption(.socketOption(.so_sndbuf), value: SocketOptionValue(v)) }
    if let v = knob("BARE_HIGH_WATER") { try options.setOption(.writeBufferWaterMark, value: .init(low: v / 2, high: v)) }
    if let v = knob("BARE_WRITE_SPIN") { try options.setOption(.writeSpin, value: UInt(v)) }
    if let v = knob("BARE_NODELAY") { try options.setOption(.socketOption(.tcp_nodelay), value: SocketOptionValue(v)) }
}

/// Runs a task's jobs on one event loop: a connection's handling then never leaves its channel's thread.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop
    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

struct TunedChannel<Base: HTTPChannelHandler>: HTTPChannelHandler {
    typealias Value = Base.Value
    let base: Base
    var responder: HTTPChannelHandler.Responder { base.responder }
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture { try tune(channel) }.flatMap { base.setup(channel: channel, logger: logger) }
    }
    func handle(value: Value, logger: Logger) async {
        if knob("BARE_EL_EXECUTOR") == 1, let channel = (value as? NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)?.channel {
            await withTaskExecutorPreference(EventLoopTaskExecutor(channel.eventLoop)) { await base.handle(value: value, logger: logger) }
        } else {
            await base.handle(value: value, logger: logger)
        }
    }
}

func runNIO(_ options: Options, bodies: [String: ByteBuffer]) async throws {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(ChannelOptions.backlog, value: 256)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try tune(channel)
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(StaticBodyHandler(bodies: bodies, directory: options.directory))
            }
        }
        .bind(host: options.host, port: options.port).get()
    print("bench-bare-hummingbird (NIO) listening on \(channel.localAddress?.description ?? "?")")
    try await channel.closeFuture.get()
}

func runHummingbird(_ options: Options, bodies: [String: ByteBuffer]) async throws {
    let router = Router()
    router.get("**") { request, _ -> Response in
        guard let body = bodies[request.uri.path] else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
    let app = Application(
        router: router,
        server: HTTPServerBuilder { responder in TunedChannel(base: HTTP1Channel(responder: responder)) },
        configuration: .init(address: .hostname(options.host, port: options.port))
    )
    try await app.runService()
}

let options = Options(CommandLine.arguments)
let bodies = try loadBodies(options.directory)
if options.nio {
    try await runNIO(options, bodies: bodies)
} else {
    try await runHummingbird(options, bodies: bodies)
}
