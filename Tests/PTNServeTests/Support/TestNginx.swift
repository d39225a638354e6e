import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// nginx in front of test replicas, configured by the shipped `deploy/nginx-replicas.conf` (its upstream servers and
/// listen ports replaced by the test's), in a temporary folder, stopped by `stop()`. Tests thus drive the
/// configuration an operator copies.
final class TestNginx: Sendable {
    let folder: URL
    /// The HTTP port (the deploy file's `listen 80`) and the WebSocket port (its `listen 8765`).
    let port: Int
    let webSocketPort: Int
    private let process: Process

    private init(folder: URL, port: Int, webSocketPort: Int, process: Process) {
        self.folder = folder
        self.port = port
        self.webSocketPort = webSocketPort
        self.process = process
    }

    /// Starts nginx proxying to the replicas' HTTP `ports` and WebSocket `webSocketPorts` on 127.0.0.1.
    static func start(ports: [Int], webSocketPorts: [Int]) async throws -> TestNginx {
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("ptn-serve-nginx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("temp"), withIntermediateDirectories: true)
        let (port, webSocketPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/nginx-replicas.conf")
        var lines = [String]()
        var upstream = ""
        for line in try String(contentsOf: deploy, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("upstream ") { upstream = text }
            if text.hasPrefix("server ") && text.hasSuffix(";") {
                // One server line of an upstream stands for all: the test's replicas replace the example's three.
                guard !lines.contains(where: { $0.hasPrefix("#replicas " + upstream) }) else { continue }
                lines.append("#replicas " + upstream)
                let targets = upstream.contains("_ws") ? webSocketPorts : ports
                lines += targets.map { "    server 127.0.0.1:\($0) max_fails=2 fail_timeout=5s;" }
            } else if text == "listen 80;" {
                lines.append("    listen 127.0.0.1:\(port);")
            } else if text == "listen 8765;" {
                lines.append("    listen 127.0.0.1:\(webSocketPort);")
            } else {
                lines.append(String(line))
            }
        }
        let temp = folder.appendingPathComponent("temp").path
        let configuration = """
            \(geteuid() == 0 ? "user root;" : "")
            worker_processes 1;
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/error.log;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(temp)/body; proxy_temp_path \(temp)/proxy; fastcgi_temp_path \(temp)/fastcgi;
                uwsgi_temp_path \(temp)/uwsgi; scgi_temp_path \(temp)/scgi;
            \(lines.joined(separator: "\n"))
            }
            """
        let file = folder.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let process = try background("nginx -p \(folder.path) -c \(file.path) -g 'daemon off;' > \(folder.path)/nginx.out 2>&1", in: folder)
        let nginx = TestNginx(folder: folder, port: port, webSocketPort: webSocketPort, process: process)
        let up = await eventually(timeout: .seconds(30)) { !process.isRunning || ServerProcess.canConnect(port: port) }
        guard up, process.isRunning else {
            let output = (try? String(contentsOf: folder.appendingPathComponent("nginx.out"), encoding: .utf8)) ?? ""
            nginx.stop()
            throw ProcessFailure(description: "nginx did not start: \(output)")
        }
        return nginx
    }

    /// Stops nginx (SIGQUIT would wait for the open streams: SIGTERM ends them) and removes its folder.
    func stop() {
        if process.isRunning { process.terminate() }
        if let text = try? String(contentsOf: folder.appendingPathComponent("nginx.pid"), encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
