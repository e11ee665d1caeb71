/// One watcher's read of a job set's log, shared by both front doors: from `start`, in batches of
/// at most 500 lines; a one-shot read (`watch: false`) ends at `end` (the last message present when
/// the call arrived), a watch waits for more. With the `cutStreamsAfter` fault, the batch that
/// reaches the limit is shortened and marked `cut`: the caller drops the stream after writing it.
struct EventLogCursor: Sendable {
    let sim: Simulator
    let queue: String
    let jobSet: String
    let watch: Bool
    let start: Int
    let end: Int
    let cutAfter: Int?
    private var position: Int
    private var done = false

    init(_ sim: Simulator, queue: String, jobSet: String, watch: Bool, start: Int, end: Int, cutAfter: Int?) {
        (self.sim, self.queue, self.jobSet, self.watch, self.start, self.end, self.cutAfter) = (sim, queue, jobSet, watch, start, end, cutAfter)
        position = start
    }

    /// The next lines, nil at the end of a one-shot read or when the task is cancelled.
    mutating func next() async -> (lines: ArraySlice<[UInt8]>, cut: Bool)? {
        while !done, !Task.isCancelled {
            if !watch && position >= end { return nil }
            var batch = sim.readEvents(queue: queue, jobSet: jobSet, from: position, limit: watch ? 500 : min(500, end - position))
            if batch.isEmpty {
                await sim.waitForEvents(queue: queue, jobSet: jobSet, than: position)
                continue
            }
            var cut = false
            if let cutAfter, position + batch.count - start > cutAfter {
                batch = batch.prefix(max(0, cutAfter - (position - start)))
                cut = true
                done = true
            }
            position += batch.count
            return (batch, cut)
        }
        return nil
    }
}
