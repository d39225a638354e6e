import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Native TLS: HTTPS with a self-signed certificate made in the test, renewed without a restart", .runsProcesses)
struct TLSTests {
    typealias Key = TestDataRoot.Key

    /// Writes a fresh self-signed certificate for `name` with the openssl CLI.
    static func makeCertificate(in folder: URL, name: String) async throws -> TLSFiles {
        let files = TLSFiles(
            certificatePath: folder.appendingPathComponent("\(name).crt").path, privateKeyPath: folder.appendingPathComponent("\(name).key").path
        )
        let result = try await shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=\(name)' -addext 'subjectAltName=IP:127.0.0.1' "
                + "-keyout '\(files.privateKeyPath)' -out '\(files.certificatePath)'",
            in: folder
        )
        guard result.status == 0 else { throw ProcessFailure(description: "openssl failed: \(result.output)") }
        return files
    }

    @Test("HTTPS serves the routes, and a certificate renewed on disk is used for new connections", .timeLimit(.minutes(3)))
    func httpsAndRenewal() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let folder = root.url.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = try await Self.makeCertificate(in: folder, name: "first-cert")
        let served = TLSFiles(certificatePath: folder.appendingPathComponent("server.crt").path, privateKeyPath: folder.appendingPathComponent("server.key").path)
        try FileManager.default.copyItem(atPath: first.certificatePath, toPath: served.certificatePath)
        try FileManager.default.copyItem(atPath: first.privateKeyPath, toPath: served.privateKeyPath)

        var config = root.configuration()
        config.security.tls = served
        let log = LogRecorder()
        try await buildApplication(config, logger: log.logger()).test(.live) { client in
            let port = try #require(client.port)
            let url = "https://127.0.0.1:\(port)/miner-hotkeys"
            let ok = try await shell("curl -sk -v -H 'Authorization: Bearer \(Key.tier0)' \(url)", in: folder)
            #expect(ok.output.contains(TestDataRoot.hotkeyA))
            #expect(ok.output.contains("CN=first-cert"))
            let plain = try await shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:\(port)/miner-hotkeys", in: folder)
            #expect(plain.output != "200")

            // Renewal: the files are replaced (atomically, as certbot does); no restart.
            let second = try await Self.makeCertificate(in: folder, name: "second-cert")
            rename(second.privateKeyPath, served.privateKeyPath)
            rename(second.certificatePath, served.certificatePath)
            let renewed = try await eventually(timeout: .seconds(8)) {
                try await shell("curl -sk -v -H 'Authorization: Bearer \(Key.tier0)' \(url)", in: folder).output.contains("CN=second-cert")
            }
            #expect(renewed)
            // A broken renewal keeps the certificate in force, once the server has read and refused it (the renewal
            // above may have been refused half-done already: the key renamed, the certificate not yet).
            let refused: @Sendable (LogRecorder.Line) -> Bool = { $0.level == .warning && $0.message.contains("TLS certificate change refused") }
            let refusedBefore = log.lines.filter(refused).count
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: served.certificatePath))
            #expect(await log.line(skipping: refusedBefore, where: refused) != nil)
            let still = try await shell("curl -sk -v -H 'Authorization: Bearer \(Key.tier0)' \(url)", in: folder)
            #expect(still.output.contains("CN=second-cert") && still.output.contains(TestDataRoot.hotkeyA))
        }
    }

    @Test("unusable certificate files stop the start with a message naming the file")
    func badFiles() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.security.tls = TLSFiles(certificatePath: root.path("missing.crt").path, privateKeyPath: root.path("missing.key").path)
        do {
            _ = try await buildApplication(config, logger: quietLogger)
            Issue.record("started without a certificate")
        } catch let error as StartupError {
            #expect(error.description.contains("missing.crt"))
        }
    }
}
