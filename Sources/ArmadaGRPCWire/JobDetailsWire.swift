import ArmadaAPI
import ArmadaGRPC
import SwiftProtobuf

/// The Jobs API's queries beyond status (details, run details, errors, status by external URI)
/// between the REST wire types and `api.Jobs`' messages; both directions, for the client and the
/// simulator.
public enum JobDetailsWire {
    static func timestamp(_ t: Google_Protobuf_Timestamp, present: Bool) -> Timestamp? {
        present ? Timestamp(seconds: t.seconds, nanos: t.nanos) : nil
    }

    static func proto(_ t: Timestamp) -> Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(seconds: t.seconds, nanos: t.nanos) }

    // MARK: Requests

    public static func proto(from r: JobDetailsRequest) -> Api_JobDetailsRequest {
        var p = Api_JobDetailsRequest()
        p.jobIds = r.jobIds ?? []
        p.expandJobSpec = r.expandJobSpec ?? false
        p.expandJobRun = r.expandJobRun ?? false
        return p
    }

    public static func request(from p: Api_JobDetailsRequest) -> JobDetailsRequest {
        JobDetailsRequest(jobIds: p.jobIds, expandJobSpec: p.expandJobSpec, expandJobRun: p.expandJobRun)
    }

    public static func proto(from r: JobRunDetailsRequest) -> Api_JobRunDetailsRequest {
        var p = Api_JobRunDetailsRequest()
        p.runIds = r.runIds ?? []
        return p
    }

    public static func request(from p: Api_JobRunDetailsRequest) -> JobRunDetailsRequest { JobRunDetailsRequest(runIds: p.runIds) }

    public static func proto(from r: JobErrorsRequest) -> Api_JobErrorsRequest {
        var p = Api_JobErrorsRequest()
        p.jobIds = r.jobIds ?? []
        return p
    }

    public static func request(from p: Api_JobErrorsRequest) -> JobErrorsRequest { JobErrorsRequest(jobIds: p.jobIds) }

    public static func proto(from r: JobStatusUsingExternalJobUriRequest) -> Api_JobStatusUsingExternalJobUriRequest {
        var p = Api_JobStatusUsingExternalJobUriRequest()
        (p.queue, p.jobset, p.externalJobUri) = (r.queue ?? "", r.jobset ?? "", r.externalJobUri ?? "")
        return p
    }

    public static func request(from p: Api_JobStatusUsingExternalJobUriRequest) -> JobStatusUsingExternalJobUriRequest {
        JobStatusUsingExternalJobUriRequest(queue: p.queue, jobset: p.jobset, externalJobUri: p.externalJobUri)
    }

    // MARK: Answers

    public static func details(from p: Api_JobDetails) -> JobDetails {
        JobDetails(jobId: p.jobID, queue: p.queue, jobset: p.jobset, namespace: p.namespace,
                   state: JobState(rawValue: p.state.rawValue) ?? .unknown,
                   submittedTs: timestamp(p.submittedTs, present: p.hasSubmittedTs), cancelTs: timestamp(p.cancelTs, present: p.hasCancelTs),
                   cancelReason: p.cancelReason, cancelUser: p.cancelUser,
                   lastTransitionTs: timestamp(p.lastTransitionTs, present: p.hasLastTransitionTs), latestRunId: p.latestRunID,
                   jobSpec: p.hasJobSpec ? JobWire.job(from: p.jobSpec) : nil, jobRuns: p.jobRuns.map(run(from:)))
    }

    public static func proto(from d: JobDetails) -> Api_JobDetails {
        var p = Api_JobDetails()
        (p.jobID, p.queue, p.jobset, p.namespace) = (d.jobId, d.queue, d.jobset, d.namespace)
        p.state = Api_JobState(rawValue: d.state.rawValue) ?? .unknown
        if let t = d.submittedTs { p.submittedTs = proto(t) }
        if let t = d.cancelTs { p.cancelTs = proto(t) }
        (p.cancelReason, p.cancelUser, p.latestRunID) = (d.cancelReason, d.cancelUser, d.latestRunId)
        if let t = d.lastTransitionTs { p.lastTransitionTs = proto(t) }
        if let spec = d.jobSpec { p.jobSpec = JobWire.proto(from: spec) }
        p.jobRuns = d.jobRuns.map(proto(from:))
        return p
    }

    public static func run(from p: Api_JobRunDetails) -> JobRunDetails {
        var addresses: [String: String] = [:]
        for (port, address) in p.ingressAddresses { addresses[String(port)] = address }
        return JobRunDetails(runId: p.runID, jobId: p.jobID, state: JobRunState(rawValue: p.state.rawValue) ?? .unknown,
                             cluster: p.cluster, node: p.node,
                             leasedTs: timestamp(p.leasedTs, present: p.hasLeasedTs), pendingTs: timestamp(p.pendingTs, present: p.hasPendingTs),
                             startedTs: timestamp(p.startedTs, present: p.hasStartedTs),
                             finishedTs: timestamp(p.finishedTs, present: p.hasFinishedTs), ingressAddresses: addresses)
    }

    public static func proto(from r: JobRunDetails) -> Api_JobRunDetails {
        var p = Api_JobRunDetails()
        (p.runID, p.jobID, p.cluster, p.node) = (r.runId, r.jobId, r.cluster, r.node)
        p.state = Api_JobRunState(rawValue: r.state.rawValue) ?? .runStateUnknown
        if let t = r.leasedTs { p.leasedTs = proto(t) }
        if let t = r.pendingTs { p.pendingTs = proto(t) }
        if let t = r.startedTs { p.startedTs = proto(t) }
        if let t = r.finishedTs { p.finishedTs = proto(t) }
        for (port, address) in r.ingressAddresses {
            if let number = Int32(port) { p.ingressAddresses[number] = address }
        }
        return p
    }

    public static func response(from p: Api_JobDetailsResponse) -> JobDetailsResponse {
        JobDetailsResponse(jobDetails: p.jobDetails.mapValues(details(from:)))
    }

    public static func proto(from r: JobDetailsResponse) -> Api_JobDetailsResponse {
        var p = Api_JobDetailsResponse()
        p.jobDetails = r.jobDetails.mapValues(proto(from:))
        return p
    }

    public static func response(from p: Api_JobRunDetailsResponse) -> JobRunDetailsResponse {
        JobRunDetailsResponse(jobRunDetails: p.jobRunDetails.mapValues(run(from:)))
    }

    public static func proto(from r: JobRunDetailsResponse) -> Api_JobRunDetailsResponse {
        var p = Api_JobRunDetailsResponse()
        p.jobRunDetails = r.jobRunDetails.mapValues(proto(from:))
        return p
    }

    public static func response(from p: Api_JobErrorsResponse) -> JobErrorsResponse { JobErrorsResponse(jobErrors: p.jobErrors) }

    public static func proto(from r: JobErrorsResponse) -> Api_JobErrorsResponse {
        var p = Api_JobErrorsResponse()
        p.jobErrors = r.jobErrors
        return p
    }
}
