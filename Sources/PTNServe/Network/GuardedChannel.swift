import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// The server's connection set-up: the gate first (allow-from, connection cap), then TLS with the certificate in force
/// at accept time (so a renewed certificate applies to new connections without a restart), then HTTP.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let gate: ConnectionGate
    /// The TLS context in force, swapped by `CertificateWatcher` when the PEM files change; nil for plain HTTP.
    let tls: AtomicSnapshot<NIOSSLContext>?

    init(base: Base, gate: ConnectionGate, tls: AtomicSnapshot<NIOSSLContext>?) {
        self.base = base
        self.gate = gate
        self.tls = tls
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGateHandler(gate: gate))
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.value))
            }
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension GuardedChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
