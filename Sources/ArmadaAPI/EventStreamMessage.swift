/// One item of `GetJobSetEvents`: the message id (a resume cursor) and the event.
public struct EventStreamMessage: Sendable, Hashable, Codable {
    /// `<redisMillis>:<redisSeq>:<subIndex>:<last>`.
    public var id: String
    public var message: EventMessage

    public init(id: String, message: EventMessage) {
        self.id = id
        self.message = message
    }
}

/// `JobSetRequest` (`POST /v1/job-set/{queue}/{id}`); queue and id also travel in the path.
public struct JobSetRequest: Sendable, Hashable, Codable {
    public var id: String
    public var queue: String
    public var watch: Bool
    /// Only messages strictly after this id are returned; empty means from the start.
    public var fromMessageId: String
    public var errorIfMissing: Bool

    public init(id: String, queue: String, watch: Bool = false, fromMessageId: String = "", errorIfMissing: Bool = false) {
        self.id = id
        self.queue = queue
        self.watch = watch
        self.fromMessageId = fromMessageId
        self.errorIfMissing = errorIfMissing
    }

    private enum CodingKeys: String, CodingKey { case id, queue, watch, fromMessageId, errorIfMissing }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenientString(.id)
        queue = c.lenientString(.queue)
        watch = c.lenientBool(.watch)
        fromMessageId = c.lenientString(.fromMessageId)
        errorIfMissing = c.lenientBool(.errorIfMissing)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(id, forKey: .id)
        try c.encodeNonZero(queue, forKey: .queue)
        try c.encodeNonZero(watch, forKey: .watch)
        try c.encodeNonZero(fromMessageId, forKey: .fromMessageId)
        try c.encodeNonZero(errorIfMissing, forKey: .errorIfMissing)
    }
}
