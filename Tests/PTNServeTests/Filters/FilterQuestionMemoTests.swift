import Hummingbird
import HummingbirdCore
import Testing

@testable import PTNServe

@Suite("Filter questions read once per query string")
struct FilterQuestionMemoTests {
    private func route() throws -> TableRoute {
        try #require(try RouteTable.builtIn("ptn").routes.first { $0.path == "/miner-positions" })
    }

    private func read(_ raw: String, _ memo: FilterQuestionMemo, reads: inout Int) throws -> FilterQuestion? {
        let route = try route()
        let parameters = URI("/miner-positions?" + raw).queryParameters
        return try memo.question(raw) { () throws(APIError) in
            reads += 1
            return try FilterQuestion(parameters, route: route, others: ["tier", "hotkeys"])
        }
    }

    @Test("a repeated query string is read once; a query without filters is remembered as none")
    func repeated() throws {
        let memo = FilterQuestionMemo()
        var reads = 0
        let first = try read("fields=n_positions,all_time_returns&hotkeys=b,a", memo, reads: &reads)
        let again = try read("fields=n_positions,all_time_returns&hotkeys=b,a", memo, reads: &reads)
        #expect(reads == 1)
        #expect(first?.text == "fields=all_time_returns,n_positions&keys=a,b")
        #expect(again?.text == first?.text)
        #expect(try read("tier=30", memo, reads: &reads) == nil)
        #expect(try read("tier=30", memo, reads: &reads) == nil)
        #expect(reads == 2)
    }

    @Test("a refused query is refused every time, never remembered as an answer")
    func refused() throws {
        let memo = FilterQuestionMemo()
        var reads = 0
        for _ in 0 ..< 2 {
            #expect(throws: APIError.self) { try read("status=sideways", memo, reads: &reads) }
        }
        #expect(reads == 2)
    }
}
