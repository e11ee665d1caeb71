import ArmadaAPI

/// The retry loop both transports run around a unary call: transport errors, Unavailable,
/// ResourceExhausted (and the gateway's 429/502/503/504) are repeated for idempotent calls, a
/// not-yet-visible queue (the server's queue cache lagging behind a new queue) for every call, with
/// backoff until `schedule.deadline`; validation errors never are. A rejection of the credentials
/// makes them refresh once (exec auth).
public struct CallRetrier: Sendable {
    /// When a failed call may be repeated.
    public enum Retrying: Sendable {
        /// Safe to repeat: transport errors, Unavailable/ResourceExhausted and a not-yet-visible queue are retried.
        case idempotent
        /// Not safe to repeat (submit without client ids): only the queue-not-visible rejection is retried.
        case onlyQueueNotVisible
    }

    public var schedule: RetrySchedule
    /// Whether "queue not found" may be the server's cache lagging (a real Armada, ~10 s).
    public var queueCacheLag: Bool
    public var credentials: any CredentialProvider

    public init(schedule: RetrySchedule, queueCacheLag: Bool, credentials: any CredentialProvider) {
        self.schedule = schedule
        self.queueCacheLag = queueCacheLag
        self.credentials = credentials
    }

    /// Runs `attempt` until it succeeds or its error may not be retried.
    /// - Parameter queueLag: whether "queue not found" from this call is worth waiting out (job
    ///   calls read the queue cache); queue and policy CRUD read the database, so for them it is final.
    public func run<T>(endpoint: String, retrying: Retrying, queueLag: Bool,
                       _ attempt: () async throws(ArmadaError) -> T) async throws(ArmadaError) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        var attempts = 0
        var refreshedCredentials = false
        while true {
            attempts += 1
            var failure: ArmadaError
            do {
                return try await attempt()
            } catch {
                failure = error
            }
            if failure.isUnauthenticated, !refreshedCredentials, await credentials.credentialsRejected() {
                refreshedCredentials = true
                continue
            }
            if !queueLag || !queueCacheLag { failure.queueNotFound = false }
            guard Self.isRetryable(failure, retrying), clock.now - start < schedule.deadline, !Task.isCancelled else {
                throw failure
            }
            do {
                try await Task.sleep(for: schedule.delay(beforeRetry: attempts, unit: Double.random(in: 0..<1)))
            } catch {
                throw ArmadaError(.transport, endpoint: endpoint, message: "cancelled")
            }
        }
    }

    public static func isRetryable(_ error: ArmadaError, _ retrying: Retrying) -> Bool {
        if error.queueNotFound { return true }
        guard retrying == .idempotent else { return false }
        switch error.kind {
        case .transport, .timeout: return true
        case .server:
            if let status = error.httpStatus, [429, 502, 503, 504].contains(status) { return true }
            return error.code == .unavailable || error.code == .resourceExhausted
        case .decoding, .authentication, .configuration: return false
        }
    }
}
