import Foundation
@testable import PTNServe

/// The made-up subnet of `examples/forecast-subnet`: its route file and a copy of its data set in a fresh folder.
enum ExampleSubnet {
    static let folder = TestDataRoot.packageRoot.appendingPathComponent("examples/forecast-subnet")
    static let routeFile = folder.appendingPathComponent("routes.yaml")

    static let goldKey = "fc-gold-4d1e9a7c52b8"
    static let freeKey = "fc-free-0b3f6e21d9aa"
    static let alpha = "5FcstAlpha0000000000000000000000000000000000000"

    /// A copy of the example's data directory, so tests may rewrite its files.
    static func makeRoot() throws -> TestDataRoot {
        _ = blockingPoolSizedForTests
        let root = TestDataRoot(url: FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-example-\(UUID().uuidString)"))
        try FileManager.default.copyItem(at: folder.appendingPathComponent("data"), to: root.url)
        chmod(root.path("state/api_keys.json").path, 0o600)
        return root
    }

    static func table() throws -> RouteTable { try RouteTable.load(path: routeFile.path) }

    /// The built binary serving the example's route file over `root` on `port`.
    static func serve(_ root: TestDataRoot, port: Int) async throws -> ServerProcess {
        try await ServerProcess.start(["serve", "--routes", routeFile.path, "--data-dir", root.url.path, "--port", "\(port)"], port: port)
    }

    /// A configuration serving the example's route file over `root`.
    static func configuration(_ root: TestDataRoot) -> ServeConfiguration {
        var config = root.configuration()
        config.routesFile = routeFile
        return config
    }
}
