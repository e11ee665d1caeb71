import ArmadaAPI
import Foundation

/// The append-only event log, one stream per (queue, job set), with Armada's message ids
/// `<millis>:<seq>:<subIndex>:<last>`. Watchers pull from it by position, so a slow watcher costs
/// the server nothing beyond the log itself.
actor EventLog {
    struct Key: Hashable, Sendable {
        var queue: String
        var jobSet: String
    }

    private struct Stream {
        var messages: [EventStreamMessage] = []
        var lastMillis: UInt64 = 0
        var seq: UInt64 = 0
    }

    private var streams: [Key: Stream] = [:]
    private var waiters: [Key: [UUID: CheckedContinuation<Void, Never>]] = [:]

    /// Appends one sequence: its messages share `<millis>:<seq>` and differ in `subIndex`.
    @discardableResult
    func append(queue: String, jobSet: String, _ events: [EventMessage], now: Date = Date()) -> [String] {
        guard !events.isEmpty else { return [] }
        let key = Key(queue: queue, jobSet: jobSet)
        var stream = streams[key] ?? Stream()
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        if millis > stream.lastMillis {
            stream.lastMillis = millis
            stream.seq = 0
        } else {
            stream.seq += 1
        }
        var ids: [String] = []
        for (i, event) in events.enumerated() {
            let id = "\(stream.lastMillis):\(stream.seq):\(i):\(i == events.count - 1 ? 1 : 0)"
            stream.messages.append(EventStreamMessage(id: id, message: event))
            ids.append(id)
        }
        streams[key] = stream
        if let waiting = waiters.removeValue(forKey: key) {
            for (_, w) in waiting { w.resume() }
        }
        return ids
    }

    func exists(queue: String, jobSet: String) -> Bool { streams[Key(queue: queue, jobSet: jobSet)] != nil }

    func count(queue: String, jobSet: String) -> Int { streams[Key(queue: queue, jobSet: jobSet)]?.messages.count ?? 0 }

    /// The position just after `fromMessageId` ("" = the start). Ids are compared as the
    /// server does, so an id between messages resumes after it; a malformed id is an error.
    func position(queue: String, jobSet: String, after fromMessageId: String) throws(SimError) -> Int {
        guard !fromMessageId.isEmpty else { return 0 }
        guard let wanted = Self.parse(fromMessageId) else {
            throw SimError(.unknown, "[GetJobSetEvents] invalid message id \(fromMessageId)")
        }
        let messages = streams[Key(queue: queue, jobSet: jobSet)]?.messages ?? []
        var low = 0, high = messages.count
        while low < high {
            let mid = (low + high) / 2
            if let id = Self.parse(messages[mid].id), id.lexicographicallyPrecedes(wanted) || id == wanted {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    /// Up to `limit` messages from `position`.
    func read(queue: String, jobSet: String, from position: Int, limit: Int = 500) -> [EventStreamMessage] {
        guard let messages = streams[Key(queue: queue, jobSet: jobSet)]?.messages, position < messages.count else { return [] }
        return Array(messages[position..<min(messages.count, position + limit)])
    }

    /// Returns once the stream holds more than `count` messages, or the task is cancelled.
    func waitForMore(queue: String, jobSet: String, than count: Int) async {
        let key = Key(queue: queue, jobSet: jobSet)
        if (streams[key]?.messages.count ?? 0) > count { return }
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || (streams[key]?.messages.count ?? 0) > count {
                    continuation.resume()
                } else {
                    waiters[key, default: [:]][id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(key, id) }
        }
    }

    private func cancelWaiter(_ key: Key, _ id: UUID) {
        waiters[key]?.removeValue(forKey: id)?.resume()
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
