import ArmadaAPI
import ArmadaClient
@testable import ArmadaSim
import Foundation
import Hummingbird
import Testing

/// The Jobs API's queries (REST doc §3.12), the scheduler reports (§3.13), `/swagger.json`, and the
/// gateway's Go decoding of request bodies, on the wire.
@Suite struct JobQueryTests {
    func send(_ client: ArmadaRESTClient, _ method: String, _ path: String, _ body: String? = nil) async throws -> (status: Int, json: JSONValue?) {
        let url = URL(string: client.baseURL.absoluteString + path)!
        let r = try await client.transport.send(TransportRequest(method: method, url: url, headers: ["Content-Type": "application/json"],
                                                                 body: body.map { Array($0.utf8) }, timeout: .seconds(10)))
        return (r.status, try? GoJSONDecoder().decode(JSONValue.self, from: r.body))
    }

    /// A job the retry engine runs three times (`e2e-retry-queue`: limit 2): three runs, each one
    /// failed, on record with node and times in order, and the error that ended the job.
    @Test func detailsRunsAndErrorsOfARetriedJobOverBothDoors() async throws {
        try await SimHarness.runBoth { rest, grpc, _ in
            let events = try await SimHarness.runToEnd(rest, queue: "e2e-retry-queue", items: [SimHarness.job(["sh", "-c", "exit 1"])],
                                                       jobSet: "details")
            let e = try #require(events.values.first)
            let id = e[0].jobId
            for client in [rest, grpc] as [any ArmadaAPIClient] {
                let details = try #require(try await client.jobDetails(JobDetailsRequest(jobIds: [id, "unknown"], expandJobRun: true)).jobDetails[id])
                #expect(details.state == .failed && details.queue == "e2e-retry-queue" && details.jobset == "details" && details.namespace == "default")
                #expect(details.jobSpec == nil, "only with expandJobSpec")
                #expect(details.jobRuns.map(\.state) == [.failed, .failed, .failed])
                #expect(Set(details.jobRuns.map(\.runId)).count == 3 && details.latestRunId == details.jobRuns.last?.runId)
                for run in details.jobRuns {
                    let (leased, pending, started, finished) = try (#require(run.leasedTs), #require(run.pendingTs), #require(run.startedTs), #require(run.finishedTs))
                    #expect(leased <= pending && pending <= started && started <= finished)
                    #expect(run.node == "sim-node-1" && run.cluster == "local-cluster" && run.jobId == id)
                }
                #expect(details.submittedTs == e[0].created && details.lastTransitionTs == e.last?.created)
                let runs = try await client.jobRunDetails(JobRunDetailsRequest(runIds: details.jobRuns.map(\.runId) + ["nope"])).jobRunDetails
                #expect(runs.count == 3 && runs[details.jobRuns[1].runId] == details.jobRuns[1])
                let errors = try await client.jobErrors(JobErrorsRequest(jobIds: [id])).jobErrors
                #expect(errors[id] == e.last?.reason && errors[id]?.hasPrefix("Retry policy: policy retry limit exceeded (2/2)") == true)
                let spec = try await client.jobDetails(JobDetailsRequest(jobIds: [id], expandJobSpec: true)).jobDetails[id]
                #expect(spec?.jobSpec?.id == id && spec?.jobSpec?.podSpec == e[0].job?.podSpec && spec?.jobRuns.isEmpty == true)
            }
        }
    }

    /// The doc's request shapes, literally, and the answers' shapes: omitted zero values, numbers
    /// for enums, `{seconds, nanos}` timestamps.
    @Test func theDocsExamplesOnTheWire() async throws {
        try await SimHarness.run { client, _ in
            let ok = SimHarness.job(["true"])
            var uri = SimHarness.job(["sleep", "30"])
            uri.externalJobUri = "s3://bucket/run-1"
            let response = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "doc", jobRequestItems: [ok, uri]))
            let (a, b) = (response.jobResponseItems[0].jobId, response.jobResponseItems[1].jobId)
            let status = try await send(client, "POST", "/v1/job/status", #"{"jobIds": ["\#(a)", "b"]}"#)
            #expect(status.status == 200 && status.json?["jobStates"]?["b"] == .number("5"))
            let byURI = try await send(client, "POST", "/v1/job/statusUsingExternalJobUri",
                                       #"{"queue": "e2e-test-queue", "jobset": "doc", "externalJobUri": "s3://bucket/run-1"}"#)
            #expect(byURI.status == 200 && byURI.json?["jobStates"]?.isObject == true && byURI.json?["jobStates"]?[b] != nil && byURI.json?["jobStates"]?[a] == nil)
            let emptyURI = try await send(client, "POST", "/v1/job/statusUsingExternalJobUri", #"{"queue": "e2e-test-queue", "jobset": "doc"}"#)
            #expect(emptyURI.status == 500 && emptyURI.json?["code"] == .number("2"))
            let details = try await send(client, "POST", "/v1/job/details", #"{"jobIds": ["\#(b)"], "expandJobSpec": true, "expandJobRun": true}"#)
            let d = try #require(details.json?["jobDetails"]?[b])
            #expect(d["jobId"]?.stringValue == b && d["jobset"]?.stringValue == "doc" && d["jobSpec"]?["podSpec"] != nil)
            #expect(d["submittedTs"]?["seconds"] != nil && d["cancelTs"] == nil && d["cancelReason"] == nil)
            let errors = try await send(client, "POST", "/v1/job/errors", #"{"jobIds": ["\#(a)", "\#(b)"]}"#)
            #expect(errors.status == 200 && errors.json?["jobErrors"]?[b] == nil)
            let runs = try await send(client, "POST", "/v1/run/details", #"{"runIds": []}"#)
            #expect(runs.status == 200 && runs.json == .object([]))
            // Cancelled: who and why, when.
            _ = try await client.cancelJobs(JobCancelRequest(jobSetId: "doc", queue: "e2e-test-queue", jobIds: [b], reason: "doc example"))
            var cancelled: JobDetails?
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: "doc") where m.message.jobId == b && m.message.type == .cancelled {
                cancelled = try await client.jobDetails(JobDetailsRequest(jobIds: [b])).jobDetails[b]
                break
            }
            #expect(cancelled?.state == .cancelled && cancelled?.cancelReason == "doc example" && cancelled?.cancelUser == "anonymous" && cancelled?.cancelTs != nil)
            let tooMany = try await send(client, "POST", "/v1/job/details", #"{"jobIds": [\#(Array(repeating: "\"x\"", count: 501).joined(separator: ","))]}"#)
            #expect(tooMany.status == 500 && tooMany.json?["message"]?.stringValue?.contains("at most 500") == true)
        }
    }

    @Test func schedulerReportsAreText() async throws {
        try await SimHarness.run { client, _ in
            let id = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "r", jobRequestItems: [SimHarness.job(["true"])]))
                .jobResponseItems[0].jobId
            let all = try await send(client, "GET", "/v1/scheduling-report")
            #expect(all.status == 200 && all.json?["report"]?.stringValue?.contains("sim-node-1: cpu") == true)
            let queue = try await send(client, "GET", "/v1/queue/e2e-test-queue/scheduler-report")
            #expect(queue.json?["report"]?.stringValue?.hasPrefix("Queue e2e-test-queue: priority factor 1") == true)
            let job = try await send(client, "GET", "/v1/job/\(id)/scheduler-report")
            #expect(job.json?["report"]?.stringValue?.hasPrefix("Job \(id) in queue e2e-test-queue, job set r") == true)
            #expect(try await send(client, "GET", "/v1/job/nope/scheduler-report").status == 404)
            #expect(try await send(client, "GET", "/v1/queue/nope/scheduler-report").status == 404)
        }
    }

    /// `/swagger.json` lists exactly the routes the gateway serves (and each method is the one served).
    @Test func swaggerDescribesEveryServedRoute() async throws {
        let router = Router(context: SimRequestContext.self)
        SimServer.routes(router, Simulator())
        func normal(_ path: String) -> String {
            path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "{}" : String($0) }.joined(separator: "/")
        }
        let served = Set(router.routes.filter { !["/health", "/swagger.json"].contains($0.path.description) && $0.method != .head }
            .map { "\($0.method.rawValue) \(normal($0.path.description))" })
        let described = Set(SimSwagger.operations.map { "\($0.method.uppercased()) \(normal($0.path))" })
        #expect(served == described)
        try await SimHarness.run { client, _ in
            let doc = try await send(client, "GET", "/swagger.json")
            #expect(doc.status == 200 && doc.json?["swagger"] == .string("2.0"))
            #expect(doc.json?["paths"]?["/v1/job/details"]?["post"]?["operationId"] == .string("Jobs_GetJobDetails"))
            #expect(doc.json?["paths"]?["/v1/queue/{queue_name}/scheduler-report"]?["get"]?["parameters"]?.arrayValue?.first?["name"] == .string("queue_name"))
        }
    }

    /// Bodies the gateway accepts because Go decodes them so (REST doc §2.1, §1.1).
    @Test func bodiesAreDecodedAsGoDecodesThem() async throws {
        try await SimHarness.run { client, _ in
            let pod = #"{"containers":[{"name":"c","image":"alpine","args":["ls"],"resources":{"requests":{"cpu":"100m","memory":"25Mi"},"limits":{"cpu":"100m","memory":"25Mi"}}}]}"#
            let upper = try await send(client, "POST", "/v1/job/submit",
                                       #"{"QUEUE":"e2e-test-queue","JobSetID":"go","JOBREQUESTITEMS":[{"NAMESPACE":"default","PodSpec":\#(pod)}]}"#)
            #expect(upper.status == 200 && upper.json?["jobResponseItems"]?.arrayValue?.count == 1)
            #expect(try await send(client, "POST", "/v1/job/status", #"{"JOBIDS":["x"]}"#).json?["jobStates"]?["x"] == .number("5"))
            for body in [#"{"jobIds":null}"#, "", "  \n", "{}", #"{"unknown":[1,2,3]}"#] {
                let r = try await send(client, "POST", "/v1/job/status", body)
                #expect(r.status == 200 && r.json == .object([]), "\(body)")
            }
            #expect(try await send(client, "POST", "/v1/queue", #"{"NAME":"go-q","PriorityFactor":1}"#).status == 200)
            #expect(try await client.getQueue("go-q").priorityFactor == 1)
            let snake = try await send(client, "POST", "/v1/job/cancel", #"{"queue":"e2e-test-queue","job_set_id":"s"}"#)
            #expect(snake.status == 400 && snake.json?["message"]?.stringValue?.contains("job set") == true)
            let quoted = try await send(client, "POST", "/v1/job/reprioritize", #"{"queue":"e2e-test-queue","jobSetId":"s","newPriority":"2"}"#)
            #expect(quoted.status == 400 && quoted.json?["message"]?.stringValue?.contains("newPriority") == true)
        }
    }
}
