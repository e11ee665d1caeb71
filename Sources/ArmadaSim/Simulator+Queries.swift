import ArmadaAPI

/// The Jobs API's queries beyond status (REST doc §3.12), answered from the job records. Like
/// Armada's, they need no permission; unknown ids are left out of the answer.
extension Simulator {
    public func jobDetails(_ request: JobDetailsRequest) throws(SimError) -> JobDetailsResponse {
        let ids = try Self.checkQuery(request.jobIds ?? [], "job ids")
        var out: [String: JobDetails] = [:]
        for id in ids {
            guard let record = records[id] else { continue }
            out[id] = record.answer(expandJobSpec: request.expandJobSpec ?? false, expandJobRun: request.expandJobRun ?? false)
        }
        return JobDetailsResponse(jobDetails: out)
    }

    public func jobRunDetails(_ request: JobRunDetailsRequest) throws(SimError) -> JobRunDetailsResponse {
        let runIds = try Self.checkQuery(request.runIds ?? [], "run ids")
        var out: [String: JobRunDetails] = [:]
        for runId in runIds {
            guard let jobId = runOwners[runId], let run = records[jobId]?.run(runId) else { continue }
            out[runId] = run
        }
        return JobRunDetailsResponse(jobRunDetails: out)
    }

    public func jobErrors(_ request: JobErrorsRequest) throws(SimError) -> JobErrorsResponse {
        let ids = try Self.checkQuery(request.jobIds ?? [], "job ids")
        var out: [String: String] = [:]
        for id in ids {
            if let error = records[id]?.error { out[id] = error }
        }
        return JobErrorsResponse(jobErrors: out)
    }

    /// The states of a job set's jobs submitted with an `externalJobUri`.
    public func jobStatus(_ request: JobStatusUsingExternalJobUriRequest) throws(SimError) -> JobStatusResponse {
        let uri = request.externalJobUri ?? ""
        guard !uri.isEmpty else { throw SimError(.unknown, "external job uri must be non-empty") }
        var states: [String: JobState] = [:]
        let key = EventLog.Key(queue: request.queue ?? "", jobSet: request.jobset ?? "")
        for id in jobSets[key] ?? [] {
            guard let job = jobs[id], job.item.externalJobUri == uri else { continue }
            states[id] = job.state.jobState
        }
        return JobStatusResponse(jobStates: states)
    }

    /// Armada refuses more than `maxQueryItems` ids with a plain error (Unknown). *(derived)*
    @discardableResult
    static func checkQuery(_ ids: [String], _ what: String) throws(SimError) -> [String] {
        guard ids.count <= JobStatusRequest.maxJobIds else {
            throw SimError(.unknown, "too many \(what): \(ids.count) given, at most \(JobStatusRequest.maxJobIds) are allowed per request")
        }
        return ids
    }
}
