import ArmadaAPI
import ArmadaClient

/// Something a run must undo, registered before the side effect it undoes.
enum Cleanup: Sendable, CustomStringConvertible {
    case deletePolicy(String)
    case deleteQueue(String)
    case cancelJobSet(queue: String, jobSetId: String)

    var description: String {
        switch self {
        case .deletePolicy(let name): "retry policy \(name)"
        case .deleteQueue(let name): "queue \(name)"
        case .cancelJobSet(let queue, let jobSetId): "job set \(jobSetId) (queue \(queue))"
        }
    }

    /// Runs the cleanup with its own short deadline; returns a problem to report, if any.
    func run(_ client: any ArmadaAPIClient, deadline: Duration) async -> String? {
        let quick = client.limited(to: deadline)
        do {
            switch self {
            case .deletePolicy(let name): try await quick.deleteRetryPolicy(name)
            case .deleteQueue(let name): try await quick.deleteQueue(name)
            case .cancelJobSet(let queue, let jobSetId):
                try await quick.cancelJobSet(JobSetCancelRequest(jobSetId: jobSetId, queue: queue))
            }
            return nil
        } catch {
            return "could not clean up \(self): \(error)"
        }
    }
}
