import ArmadaAPI
import ArmadaClient
import Foundation

/// The mutable state of one test-case run: names in use, log lines, registered cleanups.
struct RunContext {
    var jobSetId: String
    var queue: String
    var cleanups: [Cleanup] = []
    private(set) var lines: [String] = []

    init(jobSetId: String, queue: String) {
        self.jobSetId = jobSetId
        self.queue = queue
    }

    mutating func log(_ line: String) { lines.append(line) }
}

/// Something a run must undo, registered before the side effect it undoes.
enum Cleanup: Sendable {
    case deletePolicy(String)
    case deleteQueue(String)
    case cancelJobSet(queue: String, jobSetId: String)

    /// Runs the cleanup with its own short deadline; returns a problem to report, if any.
    func run(_ client: ArmadaRESTClient) async -> String? {
        var quick = client
        quick.callTimeout = .seconds(10)
        quick.retry = RetrySchedule(deadline: .seconds(10))
        do {
            switch self {
            case .deletePolicy(let name): try await quick.deleteRetryPolicy(name)
            case .deleteQueue(let name): try await quick.deleteQueue(name)
            case .cancelJobSet(let queue, let jobSetId):
                try await quick.cancelJobSet(JobSetCancelRequest(jobSetId: jobSetId, queue: queue))
            }
            return nil
        } catch {
            return "\(self): \(error)"
        }
    }
}
