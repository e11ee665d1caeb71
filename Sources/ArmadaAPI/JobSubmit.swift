/// `JobSubmitRequest` (`POST /v1/job/submit`). The body key is `jobRequestItems`.
public struct JobSubmitRequest: Sendable, Hashable, Codable {
    public var queue: String
    public var jobSetId: String
    public var jobRequestItems: [JobSubmitRequestItem]

    public init(queue: String, jobSetId: String, jobRequestItems: [JobSubmitRequestItem]) {
        self.queue = queue
        self.jobSetId = jobSetId
        self.jobRequestItems = jobRequestItems
    }

    private enum CodingKeys: String, CodingKey { case queue, jobSetId, jobRequestItems }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        queue = c.lenientString(.queue)
        jobSetId = c.lenientString(.jobSetId)
        jobRequestItems = try c.decodeIfPresent([JobSubmitRequestItem].self, forKey: .jobRequestItems) ?? []
    }
}

/// `JobSubmitResponse`: one item per submitted job, in request order.
public struct JobSubmitResponse: Sendable, Hashable, Codable {
    public var jobResponseItems: [Item]

    public init(jobResponseItems: [Item]) { self.jobResponseItems = jobResponseItems }

    public struct Item: Sendable, Hashable, Codable {
        public var jobId: String
        /// Exists on the wire but the server never fills it.
        public var error: String?

        public init(jobId: String, error: String? = nil) {
            self.jobId = jobId
            self.error = error
        }
    }

    private enum CodingKeys: String, CodingKey { case jobResponseItems }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobResponseItems = c.tolerant([Item].self, .jobResponseItems) ?? []
    }
}

/// `CancellationResult` of `POST /v1/job/cancel`.
public struct CancellationResult: Sendable, Hashable, Codable {
    public var cancelledIds: [String]
    public init(cancelledIds: [String]) { self.cancelledIds = cancelledIds }
    public init(from decoder: any Decoder) throws {
        cancelledIds = (try? decoder.container(keyedBy: AnyCodingKey.self).decodeIfPresent([String].self, forKey: "cancelledIds")) ?? []
    }
}

/// `PreemptionResult` of `POST /v1/job/preempt`: job id → error text ("" = accepted).
public struct PreemptionResult: Sendable, Hashable, Codable {
    public var preemptionResults: [String: String]
    public init(preemptionResults: [String: String]) { self.preemptionResults = preemptionResults }
    public init(from decoder: any Decoder) throws {
        preemptionResults = (try? decoder.container(keyedBy: AnyCodingKey.self).lenientStringMap("preemptionResults")) ?? [:]
    }
}

/// `JobReprioritizeResponse`: job id (or `all jobs in job set <id>`) → error text.
public struct JobReprioritizeResponse: Sendable, Hashable, Codable {
    public var reprioritizationResults: [String: String]
    public init(reprioritizationResults: [String: String]) { self.reprioritizationResults = reprioritizationResults }
    public init(from decoder: any Decoder) throws {
        reprioritizationResults = (try? decoder.container(keyedBy: AnyCodingKey.self)
            .lenientStringMap("reprioritizationResults")) ?? [:]
    }
}

/// `JobStatusRequest` / `JobStatusResponse` (`POST /v1/job/status`).
public struct JobStatusRequest: Sendable, Hashable, Codable {
    public var jobIds: [String]
    public init(jobIds: [String]) { self.jobIds = jobIds }

    /// The most ids the Jobs API takes in one request (`maxQueryItems`); more is an error (REST §3.12).
    public static let maxJobIds = 500
}

public struct JobStatusResponse: Sendable, Hashable, Codable {
    public var jobStates: [String: JobState]
    public init(jobStates: [String: JobState]) { self.jobStates = jobStates }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        jobStates = c.tolerant([String: JobState].self, "jobStates") ?? [:]
    }
}
