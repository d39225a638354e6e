import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The built `ptn-serve` binary, run as a user would run it.
struct ServerProcess {
    let process: Process
    /// Everything the process printed so far (stdout and stderr), read as it comes so a chatty server never blocks on a
    /// full pipe.
    let log: ProcessLog
    let port: Int

    /// The binary `swift build` put next to the test bundle (or `PTN_SERVE_BINARY`).
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["PTN_SERVE_BINARY"] { return URL(fileURLWithPath: path) }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ptn-serve"),
            Bundle.main.bundleURL.appendingPathComponent("ptn-serve"),
            TestDataRoot.packageRoot.appendingPathComponent(".build/debug/ptn-serve"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProcessFailure(description: "ptn-serve binary not found; run `swift build` first")
        }
        return found
    }

    /// A port that is free now and that no other test of this process was given: taken in turn below the kernel's
    /// ephemeral range (32768 and up), where the ports of outgoing connections and of `bind` to port 0 come from. One
    /// from that range (how this once worked) could be handed to two tests, or taken by a client's connection before the
    /// server bound it: that server failed to start, and the test talked to whoever held the port.
    static func freePort() -> Int {
        nextPort.withLock { next in
            while true {
                let port = next
                next = next + 1 < 32_768 ? next + 1 : 20_000
                if canBind(port: port) { return port }
            }
        }
    }

    /// Where `freePort` goes on: a random start, so two test processes side by side rarely meet.
    private static let nextPort = Mutex(Int.random(in: 20_000..<32_000))

    private static func canBind(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Starts the binary with `arguments` and waits until it says it listens on `port` and on the ports of `--ws-port`
    /// and `--metrics-port`, and `port` accepts connections (a few servers start at once: `Permits.serverStarts`).
    /// A port answering is not enough: another process may hold it while this server failed to bind.
    static func start(_ arguments: [String], port: Int, environment: [String: String] = [:]) async throws -> ServerProcess {
        // The listeners the server opens and announces ("listening on 127.0.0.1:PORT").
        let named = zip(arguments, arguments.dropFirst()).filter { ["--ws-port", "--metrics-port"].contains($0.0) }.compactMap { Int($0.1) }
        let ports = [port] + named.filter { $0 != 0 }
        return try await Permits.serverStarts.withPermit {
            let server = try launch(arguments, port: port, environment: environment)
            // Waits as long as the server shows progress (its output grows): on a busy machine a start that writes a
            // demo data set and loads it may take minutes, but one silent for two minutes, or ten in all, is stuck.
            let started = ContinuousClock.now
            var (lastOutput, lastProgress) = (0, started)
            while ContinuousClock.now - lastProgress < .seconds(120), ContinuousClock.now - started < .seconds(600) {
                guard server.process.isRunning else { break }
                let text = server.log.text
                if ports.allSatisfy({ Self.announced($0, in: text) }), canConnect(port: port) { return server }
                let output = server.log.count
                if output != lastOutput { (lastOutput, lastProgress) = (output, .now) }
                try await Task.sleep(for: .milliseconds(50))
            }
            let output = await server.stop()
            throw ProcessFailure(description: "ptn-serve did not start listening on port \(port); it printed:\n\(output.suffix(2000))")
        }
    }

    /// Starts the binary with `arguments` and returns at once.
    static func launch(_ arguments: [String], port: Int, environment: [String: String] = [:]) throws -> ServerProcess {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        // No metrics listener unless a test asks: servers started side by side would collide on its default port.
        process.environment = ProcessInfo.processInfo.environment
            .merging(["PTN_SERVE_METRICS_PORT": "0", "PTN_SERVE_WS_PORT": "0"]) { _, new in new }
            .merging(environment) { _, new in new }
        let log = ProcessLog()
        process.standardOutput = log.pipe
        process.standardError = log.pipe
        try process.run()
        return ServerProcess(process: process, log: log, port: port)
    }

    /// Whether `text` (a server's output) says it listens on `port`.
    static func announced(_ port: Int, in text: String) -> Bool {
        text.components(separatedBy: "listening on ").dropFirst().contains { rest in
            let address = rest.prefix { !$0.isWhitespace && $0 != "\"" }
            return address.hasSuffix(":\(port)")
        }
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// What the server printed until `marker` (the demo's banner ends with "Stop with Ctrl-C."), or until 60 s passed.
    func output(until marker: String) async -> String {
        _ = await eventually(timeout: .seconds(60)) { log.text.contains(marker) || !process.isRunning }
        return log.text
    }

    /// Sends SIGTERM and returns at once: for `defer`, which cannot wait. The process exits on its own; waiting for it
    /// there blocked one of the two cooperative threads for as long as its shutdown took, and the in-process tests
    /// beside it stalled.
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits, off the cooperative pool, for the process to exit (after a signal the test sent it).
    func waitForExit() async {
        let process = self.process
        await offPool { process.waitUntilExit() }
    }

    /// Sends SIGTERM and waits, off the cooperative pool, for the process to exit; returns what it printed.
    @discardableResult
    func stop() async -> String {
        terminate()
        let (process, log) = (self.process, self.log)
        return await offPool {
            process.waitUntilExit()
            return log.drain()
        }
    }
}

/// A child process's output, read off its pipe as it arrives (on Foundation's reading thread) and kept whole, so a test
/// can show it when an expectation fails.
final class ProcessLog: Sendable {
    /// Handed to `Process` as its stdout and stderr.
    let pipe = Pipe.closedOnExec()
    private let state = Mutex((bytes: Data(), ended: false))
    private let endSignal = DispatchSemaphore(value: 0)

    init() {
        // Held until the end of the output, when the handler lets go of itself.
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            guard chunk.isEmpty else { return state.withLock { $0.bytes.append(chunk) } }
            handle.readabilityHandler = nil
            state.withLock { $0.ended = true }
            endSignal.signal()
        }
    }

    /// What arrived so far.
    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }

    /// How many bytes arrived so far.
    var count: Int { state.withLock { $0.bytes.count } }

    /// Once the process has exited: waits (1 s at most) for the end of its output, then returns all of it. Its output is
    /// in the pipe by then; the wait only covers the reading thread catching up. It blocks its thread: kept short, as it
    /// runs in tests' `defer` on one of the two cooperative threads.
    func drain() -> String {
        if !state.withLock({ $0.ended }) { _ = endSignal.wait(timeout: .now() + 1) }
        return text
    }
}

extension Pipe {
    /// A pipe whose two ends are closed in every child process except where they are handed over as a standard stream.
    /// Foundation's `Pipe` leaves them inheritable, so a process started beside it (another test's server, or a client
    /// a shell puts in the background) held its write end open, and its reader saw the end of the output only when that
    /// other process exited: a test's `stop()` then blocked a cooperative thread for seconds, and a `shell` line never
    /// returned.
    static func closedOnExec() -> Pipe {
        let pipe = Pipe()
        for fd in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        return pipe
    }
}

/// Runs a shell command line in `directory`, as a user pasting it into a terminal would. It waits on its own thread:
/// blocking one of the two cooperative threads would starve the in-process servers and timers of other tests.
@discardableResult
func shell(_ command: String, in directory: URL) async throws -> (status: Int32, output: String) {
    let result: Result<(status: Int32, output: String), Error> = await offPool { Result { try shellBlocking(command, in: directory) } }
    return try result.get()
}

private func shellBlocking(_ command: String, in directory: URL) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = directory
    let pipe = Pipe.closedOnExec()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Starts a shell command line in `directory` and returns at once (a client left running, such as `curl -N`); it writes
/// where its command line redirects and nothing to the test. Not through `shell`: that one waits for the end of its
/// output, which a background child would hold open.
func background(_ command: String, in directory: URL) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec " + command]
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// A failure to run or reach the binary.
struct ProcessFailure: Error, CustomStringConvertible {
    let description: String
}
