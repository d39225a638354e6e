/// A ring of time slots (minutes or hours), each with three counters; a slot is cleared when its period comes round
/// again, so memory is fixed and old periods simply fall out.
struct CounterRing: Sendable {
    /// The period each slot holds, or -1 for never used.
    private var stamps: [Int64]
    /// Three counters per slot, side by side.
    private var counters: [Int]

    init(slots: Int) {
        stamps = Array(repeating: -1, count: slots)
        counters = Array(repeating: 0, count: slots * 3)
    }

    var slots: Int { stamps.count }

    /// Adds to the slot of `period`; a period older than the one its slot already holds is too old to keep.
    mutating func add(period: Int64, _ first: Int, _ second: Int, _ third: Int) {
        let slot = Int(period % Int64(slots))
        guard stamps[slot] <= period else { return }
        if stamps[slot] != period {
            stamps[slot] = period
            counters[slot * 3] = 0
            counters[slot * 3 + 1] = 0
            counters[slot * 3 + 2] = 0
        }
        counters[slot * 3] += first
        counters[slot * 3 + 1] += second
        counters[slot * 3 + 2] += third
    }

    /// The sums of the three counters over the periods after `now - slots` up to `now`.
    func totals(now: Int64) -> (Int, Int, Int) {
        var sums = (0, 0, 0)
        for slot in 0..<slots where stamps[slot] > now - Int64(slots) && stamps[slot] <= now {
            sums.0 += counters[slot * 3]
            sums.1 += counters[slot * 3 + 1]
            sums.2 += counters[slot * 3 + 2]
        }
        return sums
    }
}
