import ArmadaAPI
import Foundation
import Testing

/// Literal JSON of the REST doc, decoded and re-encoded as the gateway writes it.
@Suite struct WireFormatTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    func encode<T: Encodable>(_ value: T) throws -> String { String(decoding: try GatewayJSON.encode(value), as: UTF8.self) }

    /// Compares JSON texts ignoring member order.
    func same(_ a: String, _ b: String) throws -> Bool {
        try decode(JSONValue.self, a) == decode(JSONValue.self, b)
    }

    @Test func theDocsSucceededStreamDecodes() throws {
        let lines = [
            #"{"id":"1755781234567:0:0:0","message":{"submitted":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1755781234,"nanos":567000000},"job":{"id":"01k3","jobSetId":"set-a","queue":"q","namespace":"personal-anonymous","owner":"anonymous","podSpec":{"containers":[]},"schedulingResourceRequirements":{"requests":{"cpu":"100m","memory":"25Mi"},"limits":{"cpu":"100m","memory":"25Mi"}},"created":{"seconds":1755781234,"nanos":567000000}}}}}"#,
            #"{"id":"1755781234567:0:1:1","message":{"queued":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1755781234,"nanos":567000000}}}}"#,
            #"{"id":"1755781236001:0:0:1","message":{"leased":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1},"clusterId":"executor-1","pool":"default"}}}"#,
            #"{"id":"1755781236900:0:0:1","message":{"pending":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1},"clusterId":"executor-1","kubernetesId":"5f0c","podName":"armada-01k3-0","podNamespace":"personal-anonymous","pool":"default"}}}"#,
            #"{"id":"1755781238100:0:0:1","message":{"running":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1},"clusterId":"executor-1","kubernetesId":"5f0c","nodeName":"kind-worker","podName":"armada-01k3-0","podNamespace":"personal-anonymous","pool":"default"}}}"#,
            #"{"id":"1755781243200:0:0:1","message":{"succeeded":{"jobId":"01k3","jobSetId":"set-a","queue":"q","created":{"seconds":1},"clusterId":"executor-1","kubernetesId":"5f0c","nodeName":"kind-worker","podName":"armada-01k3-0","podNamespace":"personal-anonymous"}}}"#,
        ]
        let messages = try lines.map { try decode(EventStreamMessage.self, $0) }
        #expect(messages.map(\.message.type) == [.submitted, .queued, .leased, .pending, .running, .succeeded])
        #expect(messages[0].message.job?.namespace == "personal-anonymous")
        #expect(messages[0].message.created == Timestamp(seconds: 1_755_781_234, nanos: 567_000_000))
        #expect(messages[3].message.podName == "armada-01k3-0" && messages[3].message.pool == "default")
        #expect(messages[4].message.nodeName == "kind-worker")
        for (line, message) in zip(lines, messages) {
            #expect(try same(String(decoding: try JSONEncoder().encode(message), as: UTF8.self), line))
        }
    }

    @Test func failedEventWithEveryFieldRoundTrips() throws {
        let json = #"{"failed":{"jobId":"j","jobSetId":"s","queue":"q","created":{"seconds":5},"clusterId":"c","reason":"OOMKilled","kubernetesId":"k","nodeName":"n","podNumber":1,"podName":"armada-j-0-1","podNamespace":"default","containerStatuses":[{"name":"main","exitCode":137,"message":"m","reason":"OOMKilled","cause":2}],"cause":2,"failureCategory":"oom","failureSubcategory":"big","retryable":true}}"#
        let e = try decode(EventMessage.self, json)
        #expect(e.type == .failed && e.retryable && e.cause == .oom && e.failureCategory == "oom")
        #expect(e.containerStatuses == [ContainerStatus(name: "main", exitCode: 137, message: "m", reason: "OOMKilled", cause: .oom)])
        #expect(e.firstNonZeroExitCode == 137 && !e.isTerminal)
        #expect(try same(String(decoding: try JSONEncoder().encode(e), as: UTF8.self), json))
    }

    @Test func zeroValuesAreOmittedAndOnlyTheVariantsFieldsAreWritten() throws {
        var e = EventMessage(.leased, jobId: "j", jobSetId: "s", queue: "q")
        e.clusterId = "c"
        e.podName = "not-a-leased-field"
        e.retryable = false
        #expect(try same(String(decoding: try JSONEncoder().encode(e), as: UTF8.self), #"{"leased":{"jobId":"j","jobSetId":"s","queue":"q","clusterId":"c"}}"#))
        var f = EventMessage(.failed, jobId: "j")
        f.reason = "x"
        #expect(try same(String(decoding: try JSONEncoder().encode(f), as: UTF8.self), #"{"failed":{"jobId":"j","reason":"x"}}"#))
    }

    @Test func everyVariantDecodesAndUnknownOnesAreKept() throws {
        for type in EventType.allCases {
            let e = try decode(EventMessage.self, #"{"\#(type.rawValue)":{"jobId":"j","extra":{"x":1}}}"#)
            #expect(e.type == type && e.jobId == "j")
        }
        #expect(try decode(EventMessage.self, #"{"lease_returned":{"runAttempted":true}}"#).runAttempted)
        let old = try decode(EventMessage.self, #"{"duplicateFound":{"jobId":"j","originalJobId":"o"}}"#)
        #expect(old.type == nil && old.typeName == "duplicateFound" && old.jobId == "j")
        let u = try decode(EventMessage.self, #"{"utilisation":{"MaxResourcesForPeriod":{"cpu":"250m","memory":20},"totalCumulativeUsage":{"cpu":"1"}}}"#)
        #expect(u.maxResourcesForPeriod == ["cpu": "250m", "memory": "20"] && u.totalCumulativeUsage == ["cpu": "1"])
        let i = try decode(EventMessage.self, #"{"ingressInfo":{"ingressAddresses":{"8080":"10.0.0.5:31234"}}}"#)
        #expect(i.ingressAddresses == ["8080": "10.0.0.5:31234"])
        let p = try decode(EventMessage.self, #"{"preempted":{"runId":"r","reason":"why","preemptingJobId":"p","requestor":"me"}}"#)
        #expect(p.runId == "r" && p.preemptingJobId == "p" && p.requestor == "me")
        let r = try decode(EventMessage.self, #"{"reprioritized":{"newPriority":2,"requestor":"me"}}"#)
        #expect(r.newPriority == 2)
    }

    @Test func tolerantDecoding() throws {
        // RFC 3339 timestamps (pre-2024 servers), numbers as strings, wrong-typed extras.
        let e = try decode(EventMessage.self, #"{"running":{"jobId":"j","created":"2026-08-21T12:00:00.123456789Z","podNumber":"3","containerStatuses":"oops"}}"#)
        #expect(e.created?.seconds == 1_787_313_600 && e.podNumber == 3 && e.containerStatuses.isEmpty)
        #expect(try decode(Timestamp.self, #""2026-08-21T12:00:00Z""#) == Timestamp(seconds: 1_787_313_600))
        #expect(try decode(Timestamp.self, #"{}"#) == Timestamp(seconds: 0))
        #expect(try decode(JobSetCancelRequest.self, #"{"filter":{"states":["QUEUED",2]}}"#).filter?.states == [.queued, .running])
        #expect(try decode(ServiceConfig.self, #"{"type":"Headless"}"#).type == .headless)
        #expect(try decode(JobStatusResponse.self, #"{"jobStates":{"a":2,"b":5}}"#).jobStates == ["a": .running, "b": .unknown])
        #expect(try decode(JobStatusResponse.self, #"{}"#).jobStates.isEmpty)
    }

    @Test func requestsAreWrittenAsTheGatewayReadsThem() throws {
        let item = JobSubmitRequestItem(priority: 0, namespace: "personal-anonymous", clientId: "",
                                        labels: ["team": "", "x": "y"],
                                        podSpec: .object([.init("terminationGracePeriodSeconds", .number("0")),
                                                          .init("containers", .array([]))]),
                                        services: [ServiceConfig(type: .nodePort, ports: [8080])])
        let json = try encode(JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: [item]))
        #expect(try same(json, #"{"queue":"q","jobSetId":"s","jobRequestItems":[{"namespace":"personal-anonymous","labels":{"team":"","x":"y"},"podSpec":{"terminationGracePeriodSeconds":0,"containers":[]},"services":[{"ports":[8080]}]}]}"#))
        #expect(try same(try encode(JobSetCancelRequest(jobSetId: "s", queue: "q", filter: JobSetFilter(states: [.queued, .pending, .running]))),
                         #"{"jobSetId":"s","queue":"q","filter":{"states":[0,1,2]}}"#))
        #expect(try same(try encode(JobSetRequest(id: "s", queue: "q", watch: true, fromMessageId: "1:0:1:1")),
                         #"{"id":"s","queue":"q","watch":true,"fromMessageId":"1:0:1:1"}"#))
        #expect(try same(try encode(Queue(name: "q", priorityFactor: 1, cordoned: false, retryPolicies: ["p"])),
                         #"{"name":"q","priorityFactor":1,"retryPolicies":["p"]}"#))
        #expect(try encode(CancellationResult(cancelledIds: [""])) == #"{"cancelledIds":[""]}"#)
    }

    @Test func queuesStreamBothShapesAndBatchFailures() throws {
        let gateway = try decode(StreamFrame<StreamingQueueMessage>.self, #"{"result":{"Event":{"queue":{"name":"a","priorityFactor":1,"permissions":[{"subjects":[{"kind":"Group","name":"everyone"}],"verbs":["submit"]}]}}}}"#)
        guard case .result(.queue(let q)) = gateway else { Issue.record("not a queue"); return }
        #expect(q.name == "a" && q.permissions?.first?.subjects?.first?.kind == "Group")
        guard case .result(.end) = try decode(StreamFrame<StreamingQueueMessage>.self, #"{"result":{"Event":{"end":{}}}}"#) else {
            Issue.record("not the end")
            return
        }
        guard case .result(.queue) = try decode(StreamFrame<StreamingQueueMessage>.self, #"{"result":{"queue":{"name":"b"}}}"#) else {
            Issue.record("swagger shape")
            return
        }
        #expect(String(decoding: try JSONEncoder().encode(StreamingQueueMessage.end), as: UTF8.self) == #"{"Event":{"end":{}}}"#)
        let batch = try decode(BatchQueueResponse.self, #"{"failedQueues":[{"queue":{"name":"x"},"error":"rpc error: code = InvalidArgument desc = bad"}]}"#)
        #expect(batch.failedQueues.first?.queue?.name == "x")
        #expect(try decode(BatchQueueResponse.self, "{}").failedQueues.isEmpty)
        #expect(try decode(ActiveQueuesResponse.self, #"{"activeQueuesByPool":{"default":{"queues":["a","b"]}}}"#)
            .activeQueuesByPool["default"]?.queues == ["a", "b"])
        let queue = try decode(Queue.self, #"{"name":"e2e","priorityFactor":1,"userOwners":["alice"],"resourceLimitsByPriorityClassName":{"armada-default":{"maximumResourceFraction":{"cpu":0.5},"maximumResourceFractionByPool":{"gpu":{"maximumResourceFraction":{"nvidia.com/gpu":0.3}}}}},"labels":{"armadaproject.io/priority":"critical"},"retryPolicies":["ml-training-retries"]}"#)
        #expect(queue.resourceLimitsByPriorityClassName?["armada-default"]?.maximumResourceFractionByPool?["gpu"]?.maximumResourceFraction == ["nvidia.com/gpu": 0.3])
    }

    @Test func errorBodiesAndStatusMapping() throws {
        let unary = try decode(UnaryErrorBody.self, #"{"error": "error: could not find queue \"nope\"", "code": 5, "message": "error: could not find queue \"nope\""}"#)
        #expect(unary.code == 5 && unary.message == #"error: could not find queue "nope""#)
        guard case .error(let e) = try decode(StreamFrame<EventStreamMessage>.self, #"{"error":{"grpc_code":5,"http_code":404,"message":"[GetJobSetEvents] Queue q does not exist","http_status":"Not Found"}}"#) else {
            Issue.record("not an error frame")
            return
        }
        #expect(e.grpcCode == 5 && e.httpCode == 404 && e.httpStatus == "Not Found")
        #expect(try same(String(decoding: try JSONEncoder().encode(StreamError(code: .notFound, message: "m", httpStatusText: "Not Found")), as: UTF8.self),
                         #"{"grpc_code":5,"http_code":404,"message":"m","http_status":"Not Found"}"#))
        let expected: [GRPCStatusCode: Int] = [.ok: 200, .canceled: 408, .unknown: 500, .invalidArgument: 400, .deadlineExceeded: 504,
                                               .notFound: 404, .alreadyExists: 409, .permissionDenied: 403, .resourceExhausted: 429,
                                               .failedPrecondition: 400, .aborted: 409, .outOfRange: 400, .unimplemented: 501,
                                               .internalError: 500, .unavailable: 503, .dataLoss: 500, .unauthenticated: 401]
        for code in GRPCStatusCode.allCases { #expect(code.httpStatus == expected[code]) }
    }
}
