import Foundation
import Testing
@testable import PTNServe
@testable import PTNServeDemo

/// Differential fuzzing against Foundation's JSONSerialization with deterministic seeds.
@Suite struct JSONFuzzTests {
    static let documentCount: UInt64 = 1500

    @Test func generatedDocumentsIndexLikeFoundationParsesThem() throws {
        for seed in 0 ..< Self.documentCount {
            var generator = FuzzGenerator(seed: seed)
            let expected = generator.object(depth: 0)
            let bytes = generator.render(.object(expected))
            #expect(throws: Never.self, "seed \(seed)") { try JSONScanner.validate(bytes) }
            let members = try JSONScanner.objectMembers(ofDocument: bytes)
            #expect(members.map { Array($0.key.unicodeScalars) } == expected.map { Array($0.key.unicodeScalars) }, "seed \(seed)")
            for (member, generated) in zip(members, expected) {
                let keyParsed = try JSONTestSupport.foundationValue(bytes, member.keyRange)
                #expect(FuzzValue.string(generated.key).matches(keyParsed), "seed \(seed) key \(member.key)")
                let parsed = try JSONTestSupport.foundationValue(bytes, member.valueRange)
                #expect(generated.value.matches(parsed), "seed \(seed) key \(member.key)")
                try checkNested(generated.value, bytes: bytes, range: member.valueRange, seed: seed)
            }
        }
    }

    /// One level further down: nested objects and arrays must index the same way through the range-based entry points.
    private func checkNested(_ value: FuzzValue, bytes: [UInt8], range: Range<Int>, seed: UInt64) throws {
        switch value {
        case .object(let expected):
            let members = try JSONScanner.objectMembers(in: bytes, range: range)
            #expect(members.map(\.key) == expected.map(\.key), "seed \(seed)")
            for (member, generated) in zip(members, expected) {
                #expect(generated.value.matches(try JSONTestSupport.foundationValue(bytes, member.valueRange)), "seed \(seed)")
            }
        case .array(let expected):
            let elements = try JSONScanner.arrayElements(in: bytes, range: range)
            #expect(elements.count == expected.count, "seed \(seed)")
            for (element, generated) in zip(elements, expected) {
                #expect(generated.matches(try JSONTestSupport.foundationValue(bytes, element)), "seed \(seed)")
            }
        default:
            break
        }
    }

    @Test func mutatedDocumentsGetTheSameVerdictAsFoundation() {
        var compared = 0
        var knownDifferences = 0
        for seed in 0 ..< Self.documentCount {
            var generator = FuzzGenerator(seed: seed &+ 1_000_000)
            let original = generator.render(generator.value(depth: 0))
            for _ in 0 ..< 4 {
                let mutated = mutate(original, using: &generator.random)
                let ours = JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(mutated) } == nil
                let foundation = JSONTestSupport.foundationAccepts(mutated)
                if ours != foundation && isDeliberateDifference(mutated, oursAccepts: ours) {
                    knownDifferences += 1
                    continue
                }
                compared += 1
                #expect(ours == foundation, "seed \(seed): ours \(ours), Foundation \(foundation) for \(String(decoding: mutated, as: UTF8.self))")
            }
        }
        #expect(compared > 5000)
        #expect(knownDifferences * 20 < compared, "deliberate differences should stay rare")
    }

    /// Where we intentionally accept what Foundation rejects: Python's lone-surrogate escapes and NaN/Infinity tokens,
    /// and grammar-valid numbers beyond Double's range (RFC 8259 leaves range limits to the parser; Python reads them as inf).
    private func isDeliberateDifference(_ bytes: [UInt8], oursAccepts: Bool) -> Bool {
        guard oursAccepts else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        let overflowingNumber = text.split { !"0123456789+-.eE".contains($0) }.contains { Double($0)?.isInfinite == true }
        return JSONTestSupport.containsLoneSurrogateEscape(bytes) || text.contains("NaN") || text.contains("Infinity") || overflowingNumber
    }

    private func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var result = bytes
        let interesting = Array("{}[],:\"\\ \t0123456789.eE-+tnufalsNI".utf8)
        let replacement = Bool.random(using: &random) ? interesting.randomElement(using: &random)! : UInt8.random(in: 0 ... 255, using: &random)
        let position = Int.random(in: 0 ... bytes.count, using: &random)
        switch Int.random(in: 0 ..< 4, using: &random) {
        case 0: result.removeSubrange(position...)
        case 1: result.insert(replacement, at: position)
        case 2 where position < result.count: result[position] = replacement
        case 3 where position < result.count: result.remove(at: position)
        default: result.insert(replacement, at: position)
        }
        return result
    }
}
