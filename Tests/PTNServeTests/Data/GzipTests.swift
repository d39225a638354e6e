import Foundation
import NIOCore
import Testing
@testable import PTNServe

@Suite("Gzip: whole members inflate into a buffer of their stated size; anything short or extra is refused")
struct GzipTests {
    static let document = ByteBuffer(string: try! TestDataRoot.outputJSON())

    @Test("a member round-trips, inflated to exactly its ISIZE")
    func roundTrip() throws {
        let inflated = try Gzip.decompress(try Gzip.compress(Self.document))
        #expect(inflated == Self.document)
        #expect(inflated.readableBytes == Self.document.readableBytes)
    }

    @Test("truncated at every tenth of its length, with garbage after it, or a second member after it: refused")
    func refused() throws {
        let member = try Gzip.compress(Self.document)
        for tenth in 1..<10 {
            let cut = member.getSlice(at: 0, length: member.readableBytes * tenth / 10)!
            #expect(throws: Gzip.Failure.self, "cut at \(tenth)/10") { try Gzip.decompress(cut) }
        }
        var garbage = member
        garbage.writeString("}}}}")
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(garbage) }
        var twoMembers = member
        var second = try Gzip.compress(ByteBuffer(string: "{}"))
        twoMembers.writeBuffer(&second)
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(twoMembers) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(ByteBuffer(string: "not gzip at all, but long enough")) }
    }

    @Test("a trailer that claims a different length is refused, shorter or longer")
    func lyingTrailer() throws {
        let member = try Gzip.compress(Self.document)
        let end = member.writerIndex - 4
        for claimed in [UInt32(Self.document.readableBytes - 1), UInt32(Self.document.readableBytes + 1)] {
            var lying = member
            lying.setInteger(claimed, at: end, endianness: .little)
            #expect(throws: Gzip.Failure.self, "\(claimed)") { try Gzip.decompress(lying) }
        }
    }
}

extension GzipTests {
    @Test("compressing in pieces gives one member of the whole input, whatever the piece size and the input's offset")
    func piecewise() throws {
        var padded = ByteBuffer(string: String(repeating: " ", count: 100))
        padded.writeImmutableBuffer(Self.document)
        let view = try #require(padded.view(at: 100, length: Self.document.readableBytes))
        for pieceSize in [1, 7, 4096, 1 << 20] {
            let member = try Gzip.compress(view, pieceSize: pieceSize)
            #expect(try Gzip.decompress(member) == Self.document, "piece size \(pieceSize)")
        }
        #expect(try Gzip.decompress(try Gzip.compress(ByteBuffer(string: "{}"))) == ByteBuffer(string: "{}"))
    }
}
