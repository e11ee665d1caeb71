/// Requests and answers of the Jobs API's queries beyond status (REST doc §3.12): details, run
/// details, errors, and status by external job URI. Reads need no permission; more than
/// `JobStatusRequest.maxJobIds` ids is an error.
public struct JobDetailsRequest: Sendable, Hashable, Codable {
    public var jobIds: [String]?
    public var expandJobSpec: Bool?
    public var expandJobRun: Bool?

    public init(jobIds: [String], expandJobSpec: Bool = false, expandJobRun: Bool = false) {
        self.jobIds = jobIds
        self.expandJobSpec = expandJobSpec
        self.expandJobRun = expandJobRun
    }
}

public struct JobDetailsResponse: Sendable, Hashable, Codable {
    public var jobDetails: [String: JobDetails]
    public init(jobDetails: [String: JobDetails]) { self.jobDetails = jobDetails }
    public init(from decoder: any Decoder) throws {
        jobDetails = try decoder.container(keyedBy: AnyCodingKey.self).tolerant([String: JobDetails].self, "jobDetails") ?? [:]
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeNonZero(jobDetails, forKey: "jobDetails")
    }
}

public struct JobRunDetailsRequest: Sendable, Hashable, Codable {
    public var runIds: [String]?
    public init(runIds: [String]) { self.runIds = runIds }
}

public struct JobRunDetailsResponse: Sendable, Hashable, Codable {
    public var jobRunDetails: [String: JobRunDetails]
    public init(jobRunDetails: [String: JobRunDetails]) { self.jobRunDetails = jobRunDetails }
    public init(from decoder: any Decoder) throws {
        jobRunDetails = try decoder.container(keyedBy: AnyCodingKey.self)
            .tolerant([String: JobRunDetails].self, "jobRunDetails") ?? [:]
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeNonZero(jobRunDetails, forKey: "jobRunDetails")
    }
}

public struct JobErrorsRequest: Sendable, Hashable, Codable {
    public var jobIds: [String]?
    public init(jobIds: [String]) { self.jobIds = jobIds }
}

public struct JobErrorsResponse: Sendable, Hashable, Codable {
    /// Job id → the error that ended it; jobs without one are absent.
    public var jobErrors: [String: String]
    public init(jobErrors: [String: String]) { self.jobErrors = jobErrors }
    public init(from decoder: any Decoder) throws {
        jobErrors = try decoder.container(keyedBy: AnyCodingKey.self).lenientStringMap("jobErrors")
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeNonZero(jobErrors, forKey: "jobErrors")
    }
}

/// `POST /v1/job/statusUsingExternalJobUri`: the states of a job set's jobs submitted with this
/// `externalJobUri`.
public struct JobStatusUsingExternalJobUriRequest: Sendable, Hashable, Codable {
    public var queue: String?
    public var jobset: String?
    public var externalJobUri: String?
    public init(queue: String, jobset: String, externalJobUri: String) {
        self.queue = queue
        self.jobset = jobset
        self.externalJobUri = externalJobUri
    }
}
