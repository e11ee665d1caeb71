import ArmadaAPI
import RetryEngine

extension Simulator {
    /// An executor that stopped heartbeating (lifecycle §4.12, §4.17.10): the job's live run expires.
    public func expireLease(_ jobId: String) throws(SimError) {
        guard let job = jobs[jobId] else { throw SimError(.notFound, "job \(jobId) not found") }
        guard job.currentRun != nil else { throw SimError(.failedPrecondition, "job \(jobId) has no live run") }
        endRun(of: jobId)
        jobs[jobId]?.countedFailures += 1
        let error = RunError(kind: .leaseExpired, message: "Lease expired", category: "internal", subcategory: "lease-expired")
        let expired = event(.leaseExpired, job)
        var failed = event(.failed, job)
        failed.created = expired.created
        failed.reason = "Lease expired"
        failed.failureCategory = "internal"
        failed.failureSubcategory = "lease-expired"
        switch retryGate.evaluate(gateJob(job), error: error, failures: jobs[jobId]?.countedFailures ?? 1) {
        case .legacy:
            jobs[jobId]?.state = .failed
            append(job, [expired, failed])
        case .decided(_, let decision) where decision.retry:
            failed.retryable = true // never mutated on this path
            requeue(jobId)
            append(job, [expired, failed])
        case .decided(_, let decision):
            // Declined by the policy: the run error is rewritten, so no leaseExpired event.
            jobs[jobId]?.state = .failed
            failed.reason = "Lease expired and not retried by policy: \(decision.reason)"
            append(job, [failed])
        }
    }
}
