/// `{"queues": [...]}`: the body of the batched create and update calls.
public struct QueueList: Sendable, Hashable, Codable {
    public var queues: [Queue]
    public init(queues: [Queue]) { self.queues = queues }
    public init(from decoder: any Decoder) throws {
        queues = (try decoder.container(keyedBy: AnyCodingKey.self).decodeIfPresent([Queue].self, forKey: "queues")) ?? []
    }
}

/// Response of the batched queue calls: HTTP 200 even when some queues failed.
public struct BatchQueueResponse: Sendable, Hashable, Codable {
    public var failedQueues: [Failure]
    public init(failedQueues: [Failure] = []) { self.failedQueues = failedQueues }

    public struct Failure: Sendable, Hashable, Codable {
        public var queue: Queue?
        public var error: String
        public init(queue: Queue?, error: String) {
            self.queue = queue
            self.error = error
        }
    }

    public init(from decoder: any Decoder) throws {
        failedQueues = (try decoder.container(keyedBy: AnyCodingKey.self).tolerant([Failure].self, "failedQueues")) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeNonZero(failedQueues, forKey: "failedQueues")
    }
}

/// One chunk of the `GetQueues` stream: a queue, or the end marker. The gateway writes
/// `{"Event": {"queue": …}}` (no oneof marshaller); the swagger's `{"queue": …}` is read too.
public enum StreamingQueueMessage: Sendable, Hashable, Codable {
    case queue(Queue)
    case end

    public init(from decoder: any Decoder) throws {
        var c = try decoder.container(keyedBy: AnyCodingKey.self)
        if c.contains("Event") { c = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: "Event") }
        if let queue = try c.decodeIfPresent(Queue.self, forKey: "queue") {
            self = .queue(queue)
        } else if c.contains("end") {
            self = .end
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "queue stream message is neither queue nor end"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        var event = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: "Event")
        switch self {
        case .queue(let q): try event.encode(q, forKey: "queue")
        case .end: _ = event.nestedContainer(keyedBy: AnyCodingKey.self, forKey: "end")
        }
    }
}

/// `POST /v1/queues/active` response: pool → queues with active jobs.
public struct ActiveQueuesResponse: Sendable, Hashable, Codable {
    public var activeQueuesByPool: [String: ActiveQueues]

    public struct ActiveQueues: Sendable, Hashable, Codable {
        public var queues: [String]
        public init(queues: [String]) { self.queues = queues }
        public init(from decoder: any Decoder) throws {
            queues = (try decoder.container(keyedBy: AnyCodingKey.self).tolerant([String].self, "queues")) ?? []
        }
    }

    public init(activeQueuesByPool: [String: ActiveQueues]) { self.activeQueuesByPool = activeQueuesByPool }
    public init(from decoder: any Decoder) throws {
        activeQueuesByPool = (try decoder.container(keyedBy: AnyCodingKey.self)
            .tolerant([String: ActiveQueues].self, "activeQueuesByPool")) ?? [:]
    }
}
