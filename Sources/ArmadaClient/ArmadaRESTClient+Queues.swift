import ArmadaAPI
import Foundation
import RetryEngine

extension ArmadaRESTClient {
    /// `POST /v1/queue` (an upsert; `priorityFactor` must be ≥ 1).
    public func createQueue(_ queue: Queue) async throws(ArmadaError) {
        _ = try await post("/v1/queue", queue, as: JSONValue.self, queueLag: false)
    }

    /// `POST /v1/batched/create_queues`: HTTP 200 with per-queue failures.
    public func createQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse {
        try await post("/v1/batched/create_queues", QueueList(queues: queues), as: BatchQueueResponse.self, queueLag: false)
    }

    /// `PUT /v1/queue/{name}`: a full replace (send `retryPolicies` again).
    public func updateQueue(_ queue: Queue) async throws(ArmadaError) {
        _ = try await post("/v1/queue/" + Self.segment(queue.name ?? ""), queue, as: JSONValue.self, method: "PUT", queueLag: false)
    }

    /// `PUT /v1/batched/update_queues`.
    public func updateQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse {
        try await post("/v1/batched/update_queues", QueueList(queues: queues), as: BatchQueueResponse.self, method: "PUT", queueLag: false)
    }

    /// `DELETE /v1/queue/{name}`; deleting a missing queue succeeds.
    public func deleteQueue(_ name: String) async throws(ArmadaError) {
        _ = try await unary("DELETE", "/v1/queue/" + Self.segment(name), body: nil, retrying: .idempotent, queueLag: false)
    }

    /// `GET /v1/queue/{name}`; a missing queue is a `.notFound` error.
    public func getQueue(_ name: String) async throws(ArmadaError) -> Queue {
        let path = "/v1/queue/" + Self.segment(name)
        return try decode(Queue.self, try await unary("GET", path, body: nil, retrying: .idempotent, queueLag: false), endpoint: "GET \(path)")
    }

    /// `GET /v1/batched/queues?num=N`: every queue (sorted by name), read until the end marker.
    public func getQueues(limit: UInt32 = 0) async throws(ArmadaError) -> [Queue] {
        let path = "/v1/batched/queues"
        var queues: [Queue] = []
        let messages: AsyncThrowingStream<StreamingQueueMessage, any Error> = try await streamFrames(
            "GET", path, body: nil, query: limit > 0 ? [URLQueryItem(name: "num", value: String(limit))] : [])
        do {
            for try await message in messages {
                switch message {
                case .queue(let q): queues.append(q)
                case .end: return queues
                }
            }
        } catch let e as ArmadaError {
            throw e
        } catch {
            throw ArmadaError(.transport, endpoint: "GET \(path)", message: Self.describe(transportError: error))
        }
        return queues
    }

    // MARK: Retry policies

    /// `POST /v1/retry-policy` (an upsert at HEAD).
    public func createRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError) {
        _ = try await post("/v1/retry-policy", policy, as: JSONValue.self)
    }

    /// `PUT /v1/retry-policy/{name}`; a missing policy is `.notFound`.
    public func updateRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError) {
        _ = try await post("/v1/retry-policy/" + Self.segment(policy.name), policy, as: JSONValue.self, method: "PUT")
    }

    /// `DELETE /v1/retry-policy/{name}`: always succeeds, and detaches the policy from every queue.
    public func deleteRetryPolicy(_ name: String) async throws(ArmadaError) {
        _ = try await unary("DELETE", "/v1/retry-policy/" + Self.segment(name), body: nil, retrying: .idempotent)
    }

    /// `GET /v1/retry-policy/{name}`.
    public func getRetryPolicy(_ name: String) async throws(ArmadaError) -> RetryPolicy {
        let path = "/v1/retry-policy/" + Self.segment(name)
        return try decode(RetryPolicy.self, try await unary("GET", path, body: nil, retrying: .idempotent), endpoint: "GET \(path)")
    }

    /// `GET /v1/retry-policies`.
    public func listRetryPolicies() async throws(ArmadaError) -> [RetryPolicy] {
        let path = "/v1/retry-policies"
        return try decode(RetryPolicyList.self, try await unary("GET", path, body: nil, retrying: .idempotent),
                          endpoint: "GET \(path)").retryPolicies
    }
}
