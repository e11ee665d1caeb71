import Foundation

/// One event of a job as the runner saw it.
public struct TimelineEntry: Sendable, Hashable {
    /// The event type (`failed`), or the gateway's name for a type this build does not know.
    public var type: String
    /// When the server created the event (its `created` field), or when it arrived if it has none.
    public var time: Date
    public var received: Date
    /// The stream's message id, a resume cursor.
    public var messageId: String
    /// What the event says about its run, for the few events that say something (nil for most):
    /// one shared reference, so an entry stays small in a recorder holding 24 per job.
    private var box: Box?

    /// The run facts an event carries.
    public struct Detail: Sendable, Hashable {
        /// `failed` only: whether Armada will retry the job, and the failure's reason and category.
        public var retryable: Bool?
        public var reason: String?
        public var category: String?
        public var subcategory: String?
        /// `failed` with container statuses: the first non-zero exit code (0 when all exited 0).
        public var exitCode: Int32?
        /// The node the run was on (`running`, `failed`, `succeeded`), when the event names one.
        public var node: String?

        public init(retryable: Bool? = nil, reason: String? = nil, category: String? = nil, subcategory: String? = nil,
                    exitCode: Int32? = nil, node: String? = nil) {
            self.retryable = retryable
            self.reason = reason
            self.category = category
            self.subcategory = subcategory
            self.exitCode = exitCode
            self.node = node
        }

        var isEmpty: Bool { self == Detail() }
    }

    private final class Box: Sendable, Hashable {
        let value: Detail
        init(_ value: Detail) { self.value = value }
        static func == (a: Box, b: Box) -> Bool { a === b || a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    public init(type: String, time: Date, received: Date, messageId: String, retryable: Bool? = nil,
                reason: String? = nil, category: String? = nil) {
        self.init(type: type, time: time, received: received, messageId: messageId,
                  detail: Detail(retryable: retryable, reason: reason, category: category))
    }

    public init(type: String, time: Date, received: Date, messageId: String, detail: Detail) {
        self.type = type
        self.time = time
        self.received = received
        self.messageId = messageId
        self.details = detail
    }

    /// Everything the event says about its run (empty for most events).
    public var details: Detail {
        get { box?.value ?? Detail() }
        set { box = newValue.isEmpty ? nil : Box(newValue) }
    }

    public var retryable: Bool? { box?.value.retryable }
    public var reason: String? { box?.value.reason }
    public var category: String? { box?.value.category }
    public var subcategory: String? { box?.value.subcategory }
    public var exitCode: Int32? { box?.value.exitCode }
    public var node: String? { box?.value.node }

    /// `failed(retryable)` for a retryable failure, else the type.
    public var label: String { retryable == true ? "failed(retryable)" : type }
}
