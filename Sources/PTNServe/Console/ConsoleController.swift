import Foundation
import Hummingbird
import Logging

/// The operator console on the private (metrics) listener: the page at `/`, its figures at `/console/state`, and key
/// changes at `/console/keys` (POST add, POST `/console/keys/change`, DELETE revoke), each behind `ConsoleRequestGuard`.
struct ConsoleController: Sendable {
    let sources: ConsoleSources
    let keyManager: ConsoleKeyManager
    let token: ConsoleToken
    let templates: PageTemplates
    let assets: WebAssets
    let listenHost: String
    /// Largest change body read.
    static let maxBody = 16 * 1024

    init(sources: ConsoleSources, listenHost: String, logger: Logger) {
        self.init(sources: sources, listenHost: listenHost, keyManager: ConsoleKeyManager(keyFilePath: sources.keyFilePath, logger: logger))
    }

    init(
        sources: ConsoleSources, listenHost: String, keyManager: ConsoleKeyManager, token: ConsoleToken = ConsoleToken(),
        templates: PageTemplates = .bundled, assets: WebAssets = .bundled
    ) {
        self.sources = sources
        self.keyManager = keyManager
        self.token = token
        self.templates = templates
        self.assets = assets
        self.listenHost = listenHost
    }

    /// Adds the console's routes (and the page assets) to the listener's router.
    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        assets.addRoutes(to: router)
        let console = router.group()
            .add(middleware: JSONErrorMiddleware<Context>())
            .add(middleware: ConsoleRequestGuard<Context>(token: token, listenHost: listenHost))
        console.get("/") { _, _ in page() }
        console.get("console/state") { _, _ in try Self.json(await ConsoleReport.make(sources)) }
        console.post("console/keys") { request, _ in try await change(request, .add) }
        console.post("console/keys/change") { request, _ in try await change(request, .change) }
        console.delete("console/keys") { request, _ in try await change(request, .revoke) }
    }

    func page() -> Response {
        HTMLPage.response(templates.render("console", [
            "profile": sources.table.profile,
            "token": token.issue(),
            "css": assets.url("app.css"),
            "dom": assets.url("dom.js"),
            "script": assets.url("console.js"),
        ]))
    }

    func change(_ request: Request, _ kind: ConsoleKeyChange.Kind) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maxBody)
        let change = try ConsoleKeyChange.parse(Data(buffer: body), as: kind)
        let key = try await keyManager.apply(change)
        switch change {
        case .add(let alias, let tier, let rate):
            // The only answer that ever holds a key: shown once, stored hashed, never logged.
            return try Self.json(Added(alias: alias, tier: tier, rate: rate?.description, key: key ?? ""), status: .created)
        case .change(let alias, _, _):
            return try Self.json(["alias": alias, "result": "changed"])
        case .revoke(let alias):
            return try Self.json(["alias": alias, "result": "revoked"])
        }
    }

    /// The answer to an added key.
    struct Added: Encodable {
        let alias: String
        let tier: Int
        let rate: String?
        let key: String
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return .noStoreJSON(ByteBuffer(data: try encoder.encode(value)), status: status)
    }
}
