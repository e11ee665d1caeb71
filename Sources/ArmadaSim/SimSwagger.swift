import ArmadaAPI

/// `GET /swagger.json`: a Swagger 2.0 description of the REST gateway the simulator serves, one
/// operation per route, named as in Armada's swagger (`pkg/api/api.swagger.json`, operation ids
/// `Submit_SubmitJobs`, …). A test keeps it equal to the router's routes.
enum SimSwagger {
    struct Operation: Sendable {
        var method: String
        var path: String
        var service: String
        var rpc: String
        var summary: String
        var hasBody: Bool
    }

    static let operations: [Operation] = [
        .init(method: "post", path: "/v1/job/submit", service: "Submit", rpc: "SubmitJobs", summary: "Submit jobs", hasBody: true),
        .init(method: "post", path: "/v1/job/cancel", service: "Submit", rpc: "CancelJobs", summary: "Cancel jobs", hasBody: true),
        .init(method: "post", path: "/v1/jobset/cancel", service: "Submit", rpc: "CancelJobSet", summary: "Cancel a job set", hasBody: true),
        .init(method: "post", path: "/v1/job/preempt", service: "Submit", rpc: "PreemptJobs", summary: "Preempt jobs", hasBody: true),
        .init(method: "post", path: "/v1/job/reprioritize", service: "Submit", rpc: "ReprioritizeJobs", summary: "Reprioritize jobs", hasBody: true),
        .init(method: "post", path: "/v1/queue", service: "Submit", rpc: "CreateQueue", summary: "Create (upsert) a queue", hasBody: true),
        .init(method: "put", path: "/v1/queue/{name}", service: "Submit", rpc: "UpdateQueue", summary: "Update (replace) a queue", hasBody: true),
        .init(method: "delete", path: "/v1/queue/{name}", service: "Submit", rpc: "DeleteQueue", summary: "Delete a queue", hasBody: false),
        .init(method: "get", path: "/v1/queue/{name}", service: "Submit", rpc: "GetQueue", summary: "Get a queue", hasBody: false),
        .init(method: "post", path: "/v1/batched/create_queues", service: "Submit", rpc: "CreateQueues", summary: "Create queues", hasBody: true),
        .init(method: "put", path: "/v1/batched/update_queues", service: "Submit", rpc: "UpdateQueues", summary: "Update queues", hasBody: true),
        .init(method: "get", path: "/v1/batched/queues", service: "Submit", rpc: "GetQueues", summary: "Stream the queues (ndjson)", hasBody: false),
        .init(method: "post", path: "/v1/retry-policy", service: "RetryPolicyService", rpc: "CreateRetryPolicy", summary: "Create (upsert) a retry policy", hasBody: true),
        .init(method: "put", path: "/v1/retry-policy/{name}", service: "RetryPolicyService", rpc: "UpdateRetryPolicy", summary: "Update a retry policy", hasBody: true),
        .init(method: "delete", path: "/v1/retry-policy/{name}", service: "RetryPolicyService", rpc: "DeleteRetryPolicy", summary: "Delete a retry policy", hasBody: false),
        .init(method: "get", path: "/v1/retry-policy/{name}", service: "RetryPolicyService", rpc: "GetRetryPolicy", summary: "Get a retry policy", hasBody: false),
        .init(method: "get", path: "/v1/retry-policies", service: "RetryPolicyService", rpc: "GetRetryPolicies", summary: "List the retry policies", hasBody: false),
        .init(method: "post", path: "/v1/job-set/{queue}/{id}", service: "Event", rpc: "GetJobSetEvents", summary: "Stream a job set's events (ndjson)", hasBody: true),
        .init(method: "post", path: "/v1/job/status", service: "Jobs", rpc: "GetJobStatus", summary: "Job states", hasBody: true),
        .init(method: "post", path: "/v1/job/statusUsingExternalJobUri", service: "Jobs", rpc: "GetJobStatusUsingExternalJobUri", summary: "Job states by external job URI", hasBody: true),
        .init(method: "post", path: "/v1/job/details", service: "Jobs", rpc: "GetJobDetails", summary: "Job details, with spec and runs on request", hasBody: true),
        .init(method: "post", path: "/v1/job/errors", service: "Jobs", rpc: "GetJobErrors", summary: "The errors that ended jobs", hasBody: true),
        .init(method: "post", path: "/v1/run/details", service: "Jobs", rpc: "GetJobRunDetails", summary: "Run details", hasBody: true),
        .init(method: "post", path: "/v1/queues/active", service: "Jobs", rpc: "GetActiveQueues", summary: "Queues with active jobs, per pool", hasBody: true),
        .init(method: "get", path: "/v1/scheduling-report", service: "SchedulerReporting", rpc: "GetSchedulingReport", summary: "Scheduling report", hasBody: false),
        .init(method: "get", path: "/v1/queue/{queue_name}/scheduler-report", service: "SchedulerReporting", rpc: "GetQueueReport", summary: "A queue's scheduler report", hasBody: false),
        .init(method: "get", path: "/v1/job/{job_id}/scheduler-report", service: "SchedulerReporting", rpc: "GetJobReport", summary: "A job's scheduler report", hasBody: false),
    ]

    static let document: JSONValue = {
        var paths: [String: [JSONValue.Member]] = [:]
        var order: [String] = []
        for op in operations {
            if paths[op.path] == nil { order.append(op.path) }
            var parameters: [JSONValue] = pathParameters(op.path).map { name in
                .object([.init("name", .string(name)), .init("in", .string("path")), .init("required", .bool(true)),
                         .init("type", .string("string"))])
            }
            if op.hasBody {
                parameters.append(.object([.init("name", .string("body")), .init("in", .string("body")), .init("required", .bool(true)),
                                           .init("schema", .object([.init("type", .string("object"))]))]))
            }
            let operation: JSONValue = .object([
                .init("summary", .string(op.summary)),
                .init("operationId", .string("\(op.service)_\(op.rpc)")),
                .init("tags", .array([.string(op.service)])),
                .init("parameters", .array(parameters)),
                .init("responses", .object([
                    .init("200", .object([.init("description", .string("A successful response."))])),
                    .init("default", .object([.init("description", .string("An unexpected error response: {\"error\", \"code\", \"message\"}."))])),
                ])),
            ])
            paths[op.path, default: []].append(.init(op.method, operation))
        }
        return .object([
            .init("swagger", .string("2.0")),
            .init("info", .object([.init("title", .string("Armada API (served by the armada-testsuite simulator)")),
                                   .init("version", .string("version not set"))])),
            .init("consumes", .array([.string("application/json")])),
            .init("produces", .array([.string("application/json")])),
            .init("paths", .object(order.map { .init($0, .object(paths[$0]!)) })),
        ])
    }()

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}
