import ArmadaAPI
import Synchronization

/// The event log's stream lines (`{"result":…}\n` per message), encoded off the simulator actor
/// and read by watchers without it. The actor hands over each sequence's messages with their ids
/// (`encode`); one encoding task at a time turns them into lines, in order, and publishes them;
/// watchers read published lines by position and wait for more here. A message counts as logged
/// (`total`) once its line is published, so whoever follows the log never sees a count it cannot
/// read.
final class EventLines: Sendable {
    /// One message as the actor logged it: its stream and the parts of its id.
    struct Entry: Sendable {
        var key: EventLog.Key
        var millis: UInt64
        var seq: UInt64
        var index: Int
        var last: Bool
        var message: EventMessage
    }

    private struct Stream {
        var lines: [[UInt8]] = []
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private struct State {
        var streams: [EventLog.Key: Stream] = [:]
        /// Handed over, not yet encoded, in order.
        var queued: [[Entry]] = []
        /// Whether an encoding task runs (it takes everything queued before it ends).
        var encoding = false
        var total = 0
        var totalWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Queues messages for encoding, and starts the encoding task unless it runs.
    func encode(_ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        let start = state.withLock { state in
            state.queued.append(entries)
            defer { state.encoding = true }
            return !state.encoding
        }
        if start { Task.detached { await self.encodeQueued() } }
    }

    private func encodeQueued() async {
        while true {
            let batches = state.withLock { state in
                defer { state.queued = [] }
                if state.queued.isEmpty { state.encoding = false }
                return state.queued
            }
            if batches.isEmpty { return }
            // Consecutive messages of one stream (a job's sequence, a submit's jobs) form one run,
            // published with one lookup of the stream.
            var runs: [(key: EventLog.Key, lines: [[UInt8]])] = []
            for batch in batches {
                for entry in batch {
                    let line = EventStreamMessage.streamLine(entry.message, millis: entry.millis, seq: entry.seq,
                                                             subIndex: entry.index, last: entry.last)
                    if let last = runs.indices.last, runs[last].key == entry.key {
                        runs[last].lines.append(line)
                    } else {
                        runs.append((entry.key, [line]))
                    }
                }
            }
            publish(runs)
            await Task.yield() // others on the cooperative pool (the actor, the server) come first
        }
    }

    private func publish(_ runs: [(key: EventLog.Key, lines: [[UInt8]])]) {
        var woken: [CheckedContinuation<Void, Never>] = []
        state.withLock { state in
            for run in runs {
                Self.update(&state.streams[run.key, default: Stream()]) { stream in
                    stream.lines += run.lines
                    if !stream.waiters.isEmpty {
                        woken += stream.waiters.values
                        stream.waiters = [:]
                    }
                }
                state.total += run.lines.count
            }
            woken += state.totalWaiters.values
            state.totalWaiters = [:]
        }
        for waiter in woken { waiter.resume() }
    }

    // Mutated in place: copying a stream out of the dictionary would copy every line.
    private static func update(_ stream: inout Stream, _ change: (inout Stream) -> Void) { change(&stream) }

    /// Published lines of up to `limit` messages from `position`.
    func read(_ key: EventLog.Key, from position: Int, limit: Int) -> ArraySlice<[UInt8]> {
        state.withLock { state in
            guard let lines = state.streams[key]?.lines, position < lines.count else { return [] }
            return lines[position..<min(lines.count, position + limit)]
        }
    }

    /// Messages published over every stream.
    var total: Int { state.withLock { $0.total } }

    /// Returns once the stream has more than `count` published lines, or the task is cancelled.
    func wait(_ key: EventLog.Key, moreThan count: Int) async {
        await wait { state, id, continuation in
            guard (state.streams[key]?.lines.count ?? 0) <= count else { return false }
            state.streams[key, default: Stream()].waiters[id] = continuation
            return true
        } cancel: { state, id in
            state.streams[key]?.waiters.removeValue(forKey: id)
        }
    }

    /// Returns once more than `count` messages are published over every stream (or the task is
    /// cancelled), with the new total.
    @discardableResult
    func waitForTotal(moreThan count: Int) async -> Int {
        await wait { state, id, continuation in
            guard state.total <= count else { return false }
            state.totalWaiters[id] = continuation
            return true
        } cancel: { state, id in
            state.totalWaiters.removeValue(forKey: id)
        }
        return total
    }

    /// Resumes every waiter (the simulator stops).
    func resumeAll() {
        let woken = state.withLock { state in
            var woken = Array(state.totalWaiters.values)
            state.totalWaiters = [:]
            for key in state.streams.keys where !(state.streams[key]?.waiters.isEmpty ?? true) {
                woken += state.streams[key]!.waiters.values
                state.streams[key]!.waiters = [:]
            }
            return woken
        }
        for waiter in woken { waiter.resume() }
    }

    /// Parks the task unless `park` finds nothing to wait for; cancellation resumes it.
    private func wait(_ park: (inout State, UInt64, CheckedContinuation<Void, Never>) -> Bool,
                      cancel: @escaping @Sendable (inout State, UInt64) -> CheckedContinuation<Void, Never>?) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let parked = state.withLock { state in !Task.isCancelled && park(&state, id, continuation) }
                if !parked { continuation.resume() }
            }
        } onCancel: {
            state.withLock { cancel(&$0, id) }?.resume()
        }
    }
}
