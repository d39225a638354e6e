/// Copies `bytes[range]` leaving out every cut (sorted, non-overlapping, inside range).
func copyBytes(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, omitting cuts: [Range<Int>]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(range.count - cuts.reduce(0) { $0 + $1.count })
    var next = range.lowerBound
    for cut in cuts {
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[next ..< cut.lowerBound]))
        next = cut.upperBound
    }
    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[next ..< range.upperBound]))
    return output
}
