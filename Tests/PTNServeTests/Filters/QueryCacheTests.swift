import NIOCore
import Testing

@testable import PTNServe

@Suite("The cache of filtered answers")
struct QueryCacheTests {
    private func body(_ size: Int) -> EntryBody { EntryBody(slice: ByteBuffer(repeating: UInt8(ascii: "x"), count: size)) }

    @Test("a repeated question is answered from the cache; the bytes held stay under the capacity, oldest out first")
    func bounded() {
        let cache = QueryCache(capacity: 10_000)
        var made = 0
        for round in 0 ..< 2 {
            for index in 0 ..< 3 {
                _ = cache.answer("q\(index)") {
                    made += 1
                    return body(2_000)
                }
            }
            #expect(made == 3, "round \(round)")
        }
        for index in 3 ..< 20 { _ = cache.answer("q\(index)") { body(2_000) } }
        #expect(cache.bytes <= 10_000)
        // The first questions were pushed out by the newer ones; the newest is still held.
        _ = cache.answer("q0") { made += 1; return body(2_000) }
        #expect(made == 4)
        _ = cache.answer("q19") { made += 1; return body(2_000) }
        #expect(made == 4)
    }

    @Test("an answer larger than a quarter of the capacity is served but not kept; capacity 0 keeps nothing")
    func tooLarge() {
        let cache = QueryCache(capacity: 10_000)
        _ = cache.answer("big") { body(4_000) }
        #expect(cache.bytes == 0)
        let none = QueryCache(capacity: 0)
        _ = none.answer("q") { body(10) }
        #expect(none.bytes == 0)
    }
}
