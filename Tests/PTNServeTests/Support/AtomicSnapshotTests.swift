import Testing
@testable import PTNServe

@Suite("The current immutable value, swapped atomically")
struct AtomicSnapshotTests {
    @Test("concurrent updates lose none of each other's writes; a nil transform keeps the value in force")
    func updates() async {
        let counter = AtomicSnapshot(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<2_000 { counter.update { $0 + 1 } } }
            }
        }
        #expect(counter.value == 8_000)
        #expect(!counter.update { _ in nil })
        #expect(counter.value == 8_000)
        counter.store(7)
        #expect(counter.value == 7)
    }
}
