/// The feed as `/ready` shows it.
struct FeedStatus: Sendable, Encodable, Equatable {
    let epoch: String
    /// The last sequence published.
    let sequence: Int64
    /// `durable` (a journal file) or `memory` (lost at restart).
    let journal: String
    /// The oldest sequence still held (`sequence + 1` when none is).
    let firstSequence: Int64
    let journalEvents: Int
    let journalBytes: Int

    enum CodingKeys: String, CodingKey {
        case epoch, sequence, journal
        case firstSequence = "first_sequence"
        case journalEvents = "journal_events"
        case journalBytes = "journal_bytes"
    }
}
