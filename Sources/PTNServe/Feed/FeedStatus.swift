/// The feed as `/ready` shows it.
public struct FeedStatus: Sendable, Encodable, Equatable {
    public let epoch: String
    /// The last sequence published.
    public let sequence: Int64
    /// `durable` (a journal file) or `memory` (lost at restart).
    public let journal: String
    /// The oldest sequence still held (`sequence + 1` when none is).
    public let firstSequence: Int64
    public let journalEvents: Int
    public let journalBytes: Int

    enum CodingKeys: String, CodingKey {
        case epoch, sequence, journal
        case firstSequence = "first_sequence"
        case journalEvents = "journal_events"
        case journalBytes = "journal_bytes"
    }
}
