import Synchronization

/// What a `JobSetWatcher` went through, for failure messages and reports.
public final class WatcherDiagnostics: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// Connections opened, the first one included.
        public var connections = 0
        /// Re-opened because the consumer fell behind (not failures).
        public var catchUps = 0
        /// Re-opened after a failure.
        public var reconnects: Int { max(0, connections - 1 - catchUps) }
        public var eventsDelivered = 0
        public var duplicatesDropped = 0
        public var lastMessageId = ""
        public var lastError: String?
        /// The `fromMessageId` each connection asked for, in order.
        public var resumedFrom: [String] = []
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) { state.withLock { change(&$0) } }

    /// The per-event update, kept small: it runs for every event.
    func delivered(_ id: String) {
        state.withLock {
            $0.eventsDelivered += 1
            $0.lastMessageId = id
        }
    }
}
