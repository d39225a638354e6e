import Foundation
import Synchronization
@testable import PTNServe

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server: `initdb` in a temporary folder (trust authentication, user `postgres`), the server
/// on a free loopback port with its socket in that folder, stopped and removed by `stop()`. The programs are found on
/// PATH or in Debian's /usr/lib/postgresql/<version>/bin; as root they run as the `postgres` user, since PostgreSQL
/// refuses root. The server is a child of the test (`background`), not a daemon of pg_ctl's: Foundation waits for a
/// child until every process holding its descriptors ends, so a daemon started through one would keep it waiting.
final class TestPostgres: Sendable {
    let folder: URL
    let port: Int
    private let bin: URL
    private let runAs: String
    private let server = Mutex<Process?>(nil)

    private init(folder: URL, port: Int, bin: URL, runAs: String) {
        self.folder = folder
        self.port = port
        self.bin = bin
        self.runAs = runAs
    }

    /// Creates and starts a server.
    static func start() async throws -> TestPostgres {
        let bin = try programs()
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("ptn-serve-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var runAs = ""
        if geteuid() == 0 {
            try await run("chown postgres \(folder.path)", in: folder)
            runAs = "runuser -u postgres -- "
        }
        let server = TestPostgres(folder: folder, port: ServerProcess.freePort(), bin: bin, runAs: runAs)
        do {
            try await server.program("initdb -D data -A trust -U postgres -E UTF8 --locale=C --no-sync")
            try await server.startServer()
            return server
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A new, empty database on this server.
    func createDatabase() async throws -> DatabaseURL {
        let name = "ptn_\(UUID().uuidString.prefix(8).lowercased())"
        try await program("createdb -h 127.0.0.1 -p \(port) -U postgres \(name)")
        return DatabaseURL("postgres://postgres@127.0.0.1:\(port)/\(name)")!
    }

    /// Drops `database`, ending its sessions first (a lost database, for the epoch tests).
    func dropDatabase(_ database: DatabaseURL) async throws {
        try await program("dropdb -h 127.0.0.1 -p \(port) -U postgres --force \(database.database)")
    }

    /// Creates `database` again, empty, after `dropDatabase` (an operator restoring a lost database with nothing).
    func recreateDatabase(_ database: DatabaseURL) async throws {
        try await program("createdb -h 127.0.0.1 -p \(port) -U postgres \(database.database)")
    }

    /// Stops the server as a restart by an operator does (fast shutdown: sessions end, what was committed is kept);
    /// `resume()` starts it again on the same port and data.
    func halt() async {
        await stopServer(signal: SIGINT)
    }

    /// Starts a halted server again.
    func resume() async throws {
        try await startServer()
    }

    /// Stops the server at once and removes its folder.
    func stop() async {
        await stopServer(signal: SIGQUIT)
        try? FileManager.default.removeItem(at: folder)
    }

    private func startServer() async throws {
        let options = "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=200"
        let process = try background(runAs + bin.path + "/postgres -D data " + options, in: folder)
        server.withLock { $0 = process }
        let ready = await eventually(timeout: .seconds(60)) {
            guard process.isRunning else { return true }
            return (try? await program("pg_isready -q -h 127.0.0.1 -p \(port)")) != nil
        }
        guard ready, process.isRunning else { throw ProcessFailure(description: "PostgreSQL did not start in its temporary folder") }
    }

    /// Sends `signal` to the postmaster (whose id it writes in its folder: SIGQUIT for an immediate shutdown, SIGINT
    /// for a fast one), then waits for it to end.
    private func stopServer(signal: Int32) async {
        guard let process = server.withLock({ $0 }) else { return }
        let pidFile = folder.appendingPathComponent("data/postmaster.pid")
        if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }) {
            kill(pid, signal)
        } else {
            process.terminate()
        }
        await offPool { process.waitUntilExit() }
        server.withLock { $0 = nil }
    }

    /// Runs one of PostgreSQL's programs in the folder (as `postgres` when root); throws with its output on failure.
    @discardableResult
    private func program(_ commandLine: String) async throws -> String {
        try await Self.run(runAs + bin.path + "/" + commandLine, in: folder)
    }

    /// Runs `commandLine` with its output in a file of the folder, waiting on a thread of its own.
    @discardableResult
    private static func run(_ commandLine: String, in folder: URL) async throws -> String {
        let log = folder.appendingPathComponent("command-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", commandLine]
        process.currentDirectoryURL = folder
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let status = await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
        try? output.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        guard status == 0 else { throw ProcessFailure(description: "`\(commandLine)` failed (\(status)): \(text)") }
        return text
    }

    /// The folder holding initdb and pg_ctl: on PATH, else the newest of /usr/lib/postgresql/*/bin.
    static func programs() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let fromPath = path.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        let debian = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin") }
        // initdb found through a symbolic link (/usr/local/bin): its own folder holds the rest of the installation.
        for folder in fromPath + debian {
            let initdb = folder.appendingPathComponent("initdb")
            guard FileManager.default.isExecutableFile(atPath: initdb.path) else { continue }
            let home = initdb.resolvingSymlinksInPath().deletingLastPathComponent()
            if ["postgres", "pg_isready", "createdb", "dropdb"].allSatisfy({ FileManager.default.isExecutableFile(atPath: home.appendingPathComponent($0).path) }) {
                return home
            }
        }
        throw ProcessFailure(description: "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql; scripts/test.sh does it)")
    }
}

/// Runs `body` with a throwaway PostgreSQL server, stopped and removed afterwards whatever happens.
func withTestPostgres<Result>(_ body: (TestPostgres) async throws -> Result) async throws -> Result {
    let server = try await TestPostgres.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
