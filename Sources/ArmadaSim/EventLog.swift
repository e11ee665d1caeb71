import ArmadaAPI
import Foundation

/// The append-only event log, one stream per (queue, job set), with Armada's message ids
/// `<millis>:<seq>:<subIndex>:<last>`. Owned by the `Simulator` actor, so appends are part of the
/// state change that causes them. Each message is kept as its encoded stream line (written once,
/// served to every watcher as is) and its parsed id. Watchers pull from it by position, so a slow
/// watcher costs the server nothing beyond the log itself.
struct EventLog {
    struct Key: Hashable, Sendable {
        var queue: String
        var jobSet: String
    }

    private struct Stream {
        /// `{"result":…}\n` per message.
        var lines: [[UInt8]] = []
        /// (millis, seq, subIndex) per message, for `fromMessageId` lookups.
        var ids: [(UInt64, UInt64, UInt64)] = []
        var lastMillis: UInt64 = 0
        var seq: UInt64 = 0
    }

    private var streams: [Key: Stream] = [:]
    var waiters: [Key: [UUID: CheckedContinuation<Void, Never>]] = [:]
    /// Events appended over all streams, and who waits for that number to grow.
    private(set) var total = 0
    var totalWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    /// Appends one sequence: its messages share `<millis>:<seq>` and differ in `subIndex`.
    @discardableResult
    mutating func append(queue: String, jobSet: String, _ events: [EventMessage], now: Date = Date()) -> [String] {
        guard !events.isEmpty else { return [] }
        let key = Key(queue: queue, jobSet: jobSet)
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var ids: [String] = []
        // Mutated in place: copying the stream out of the dictionary would copy every message.
        Self.update(&streams[key, default: Stream()]) { stream in
            if millis > stream.lastMillis {
                stream.lastMillis = millis
                stream.seq = 0
            } else {
                stream.seq += 1
            }
            for (i, event) in events.enumerated() {
                let id = "\(stream.lastMillis):\(stream.seq):\(i):\(i == events.count - 1 ? 1 : 0)"
                stream.lines.append(EventStreamMessage(id: id, message: event).streamLine)
                stream.ids.append((stream.lastMillis, stream.seq, UInt64(i)))
                ids.append(id)
            }
        }
        if let waiting = waiters.removeValue(forKey: key) {
            for (_, w) in waiting { w.resume() }
        }
        total += events.count
        for (_, w) in totalWaiters { w.resume() }
        totalWaiters = [:]
        return ids
    }

    private static func update(_ stream: inout Stream, _ change: (inout Stream) -> Void) { change(&stream) }

    func exists(queue: String, jobSet: String) -> Bool { streams[Key(queue: queue, jobSet: jobSet)] != nil }

    func count(queue: String, jobSet: String) -> Int { streams[Key(queue: queue, jobSet: jobSet)]?.lines.count ?? 0 }

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

    /// The stream lines of up to `limit` messages from `position`.
    func read(queue: String, jobSet: String, from position: Int, limit: Int = 500) -> ArraySlice<[UInt8]> {
        guard let lines = streams[Key(queue: queue, jobSet: jobSet)]?.lines, position < lines.count else { return [] }
        return lines[position..<min(lines.count, position + limit)]
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
