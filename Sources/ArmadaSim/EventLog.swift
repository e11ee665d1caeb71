import ArmadaAPI
import Foundation

/// The append-only event log, one stream per (queue, job set), with Armada's message ids
/// `<millis>:<seq>:<subIndex>:<last>`. Owned by the `Simulator` actor, so appends are part of the
/// state change that causes them: the log gives each message its id and keeps the ids (for
/// `fromMessageId` lookups and the counts a one-shot read ends at). The messages themselves wait in
/// `pending` until the actor hands them to `EventLines`, which encodes each once, off the actor,
/// and serves the lines to every watcher by position.
struct EventLog {
    struct Key: Hashable, Sendable {
        var queue: String
        var jobSet: String
    }

    private struct Stream {
        /// (millis, seq, subIndex) per message.
        var ids: [(UInt64, UInt64, UInt64)] = []
        var lastMillis: UInt64 = 0
        var seq: UInt64 = 0
    }

    private var streams: [Key: Stream] = [:]
    /// Appended, not yet handed to `EventLines`.
    private(set) var pending: [EventLines.Entry] = []
    /// Events appended over all streams.
    private(set) var total = 0

    /// Appends one sequence: its messages share `<millis>:<seq>` and differ in `subIndex`.
    mutating func append(queue: String, jobSet: String, _ events: [EventMessage], now: Date = Date()) {
        guard !events.isEmpty else { return }
        let key = Key(queue: queue, jobSet: jobSet)
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var at = (millis: UInt64(0), seq: UInt64(0))
        // Mutated in place: copying the stream out of the dictionary would copy every id.
        Self.update(&streams[key, default: Stream()]) { stream in
            if millis > stream.lastMillis {
                stream.lastMillis = millis
                stream.seq = 0
            } else {
                stream.seq += 1
            }
            at = (stream.lastMillis, stream.seq)
            for i in events.indices { stream.ids.append((stream.lastMillis, stream.seq, UInt64(i))) }
        }
        for (i, event) in events.enumerated() {
            pending.append(EventLines.Entry(key: key, millis: at.millis, seq: at.seq, index: i, last: i == events.count - 1, message: event))
        }
        total += events.count
    }

    /// The messages appended since the last call, in order.
    mutating func takePending() -> [EventLines.Entry] {
        defer { pending = [] }
        return pending
    }

    private static func update(_ stream: inout Stream, _ change: (inout Stream) -> Void) { change(&stream) }

    func exists(queue: String, jobSet: String) -> Bool { streams[Key(queue: queue, jobSet: jobSet)] != nil }

    func count(queue: String, jobSet: String) -> Int { streams[Key(queue: queue, jobSet: jobSet)]?.ids.count ?? 0 }

    /// The position just after `fromMessageId` ("" = the start). Ids are compared as the
    /// server does, so an id between messages resumes after it; a malformed id is an error.
    func position(queue: String, jobSet: String, after fromMessageId: String) throws(SimError) -> Int {
        guard !fromMessageId.isEmpty else { return 0 }
        guard let wanted = Self.parse(fromMessageId) else {
            throw SimError(.unknown, "[GetJobSetEvents] invalid message id \(fromMessageId)")
        }
        let ids = streams[Key(queue: queue, jobSet: jobSet)]?.ids ?? []
        var low = 0, high = ids.count
        while low < high {
            let mid = (low + high) / 2
            let id = [ids[mid].0, ids[mid].1, ids[mid].2]
            if id.lexicographicallyPrecedes(wanted) || id == wanted {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    /// `millis:seq:subIndex:last` or the legacy Redis form `millis-seq`.
    static func parse(_ id: String) -> [UInt64]? {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4 {
            let numbers = parts.prefix(3).compactMap { UInt64($0) }
            return numbers.count == 3 ? numbers : nil
        }
        let legacy = id.split(separator: "-")
        if legacy.count == 2, let m = UInt64(legacy[0]), let s = UInt64(legacy[1]) { return [m, s, UInt64.max] }
        return nil
    }
}
