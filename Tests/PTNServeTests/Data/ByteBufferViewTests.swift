import NIOCore
import Testing
@testable import PTNServe

@Suite("Views of a snapshot's bytes share its storage at any offset (NIO's getSlice copies past 16 MiB)")
struct ByteBufferViewTests {
    static func address(_ buffer: ByteBuffer) -> UInt {
        buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
    }

    @Test("a miner 18 MB into a 20 MB document is a view of the document's memory, not a copy")
    func sharesStorage() throws {
        var document = ByteBufferAllocator().buffer(capacity: 20 << 20)
        document.writeRepeatingByte(UInt8(ascii: "a"), count: 20 << 20)
        let offset = 18 << 20
        let view = try #require(document.view(at: offset, length: 216_000))
        #expect(view.readableBytes == 216_000)
        #expect(Self.address(view) == Self.address(document) + UInt(offset))
        // What NIO's slice does at that offset, which is why views exist.
        let slice = try #require(document.getSlice(at: offset, length: 216_000))
        #expect(Self.address(slice) != Self.address(document) + UInt(offset))
    }

    @Test("bounds are checked; writing to a view copies it and leaves the document alone")
    func boundsAndCopyOnWrite() throws {
        let document = ByteBuffer(string: "{\"a\": [1, 2], \"b\": {}}")
        #expect(document.view(at: 6, length: 6).map { String(buffer: $0) } == "[1, 2]")
        #expect(document.view(at: 20, length: 3) == nil)
        #expect(document.view(at: -1, length: 1) == nil)
        var view = try #require(document.view(at: 6, length: 6))
        view.writeString("!")
        #expect(String(buffer: view) == "[1, 2]!")
        #expect(String(buffer: document) == "{\"a\": [1, 2], \"b\": {}}")
    }

    @Test("a real output.json indexes every miner as a view of one storage")
    func positionsIndexShares() throws {
        let document = ByteBuffer(string: try TestDataRoot.outputJSON())
        let index = try FileIndex.build(document: document, plan: ptnTable.indexPlan(for: "positions"))
        let entries = try #require(try index.entries[.members]?.get())
        let range = Self.address(document)..<(Self.address(document) + UInt(document.readableBytes))
        for hotkey in entries.keys {
            let entry = try #require(entries.entry(for: hotkey)?.full.body(wantsGzip: false).identity)
            #expect(range.contains(Self.address(entry)))
        }
    }
}
