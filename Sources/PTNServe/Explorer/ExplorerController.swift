import Foundation
import Hummingbird

/// The data explorer on the public port: page shells at `/` (for browsers; API clients keep the JSON 404) and under
/// `/ui/`, their assets, and `/ui/key` (the tier of the key the page holds). The pages hold no data: their script fetches
/// it from the API routes with the key the user typed, kept in the tab's `sessionStorage` and sent as a Bearer header.
struct ExplorerController: Sendable {
    let table: RouteTable
    let templates: PageTemplates
    let assets: WebAssets
    let routes: [ExplorerRoute]
    /// The routes behind the leaderboard and the miner pages, as the table declares them; nil: no such pages.
    let views: ExplorerViews?
    /// The feeds whose events mean new leaderboard figures (the leaderboard route's files), comma-separated.
    let leaderboardFeeds: String
    /// The facet a change in the leaderboard's live list is shown with (PTN: `trade_pair`); empty when none.
    let facetName: String

    /// The pages besides `/`, by path and title.
    static let pages = [("ui/browse", "Browse"), ("ui/leaderboard", "Leaderboard"), ("ui/miner", "Miner"), ("ui/api", "API reference")]
    /// The paths added, for the 405 answers; a route file may use none of them (`ServerPaths.reserved` reserves all of
    /// `tree`).
    static let paths = [""] + pages.map(\.0) + ["ui/key", "ui/assets/{name}"]
    /// Where the explorer's pages and assets live: all of it is the explorer's.
    static let tree = "ui"

    init(table: RouteTable, templates: PageTemplates = .bundled, assets: WebAssets = .bundled) {
        self.table = table
        self.templates = templates
        self.assets = assets
        self.routes = ExplorerRoute.all(in: table)
        self.views = table.explorer
        let leaderboard = table.explorer.map { ExplorerViews.routePath($0.leaderboard) }
        self.leaderboardFeeds = table.routes.first { $0.path == leaderboard }?.fileNames.joined(separator: ",") ?? ""
        self.facetName = table.streamFacet?.name ?? ""
    }

    /// Adds the pages and assets to `router`, and `/ui/key` to `authenticated`.
    func addRoutes(to router: Router<AppRequestContext>, authenticated: RouterGroup<AppRequestContext>) {
        assets.addRoutes(to: router)
        router.get("/") { request, _ -> Response in
            // API clients asking for `/` keep today's answer.
            guard HTMLPage.isWanted(by: request) else { throw APIError.resourceNotFound }
            return page("home", title: "Explorer")
        }
        for (path, title) in Self.pages {
            let name = String(path.dropFirst(3))
            router.get(RouterPath(path)) { _, _ -> Response in
                guard views != nil || (name != "leaderboard" && name != "miner") else { throw APIError.resourceNotFound }
                return page(name, title: title)
            }
        }
        authenticated.get("ui/key") { _, context -> Response in
            let client = try context.requireClient()
            return .noStoreJSON(ByteBuffer(string: "{\"tier\":\(client.tier)}"))
        }
    }

    func page(_ name: String, title: String) -> Response {
        var context: [String: Any] = [
            "title": title,
            "page": name,
            "profile": table.profile,
            "css": assets.url("app.css"),
            "dom": assets.url("dom.js"),
            "script": assets.url("app.js"),
            "minerViews": views != nil,
            "leaderboardRequest": views?.leaderboard ?? "",
            "leaderboardRoute": views.map { ExplorerViews.routePath($0.leaderboard) } ?? "",
            "leaderboardFeeds": leaderboardFeeds,
            "facet": facetName,
            "minerPositionsPath": views?.minerPositions ?? "",
            "minerStatisticsPath": views?.minerStatistics ?? "",
            "routes": routes.map(\.context),
            name: true,
        ]
        if let description = table.description { context["description"] = description }
        return HTMLPage.response(templates.render("explorer", context))
    }
}
