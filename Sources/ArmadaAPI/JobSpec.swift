import Foundation
import Synchronization

/// `submitted.job` as it came off the wire, decoded (tolerantly: invalid is nil) the first time it
/// is read. Equal when the decoded jobs are equal.
final class JobSpec: Sendable, Hashable {
    private let raw: [UInt8]
    private let decoded: Mutex<Job??>

    init(decoded job: Job) {
        raw = []
        decoded = Mutex(.some(job))
    }

    init(raw: [UInt8]) {
        self.raw = raw
        decoded = Mutex(nil)
    }

    var job: Job? {
        decoded.withLock { decoded in
            if let done = decoded { return done }
            let job = try? JSONDecoder().decode(Job.self, from: Data(raw))
            decoded = .some(job)
            return job
        }
    }

    static func == (lhs: JobSpec, rhs: JobSpec) -> Bool { lhs === rhs || lhs.job == rhs.job }
    func hash(into hasher: inout Hasher) { hasher.combine(job) }
}
