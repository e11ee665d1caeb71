import TestSpec

/// Why the event stream failed a test.
public enum MatchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job ended (succeeded, cancelled or failed terminally) before its expectations were met.
    case unexpectedTerminal(jobId: String, expected: String, got: String)
    /// A matching event had the wrong payload, run or pod.
    case payload(jobId: String, field: String, expected: String, got: String)
    /// A counted expectation matched more often than allowed before the next one matched.
    case tooMany(jobId: String, expected: String, times: Occurrences, seen: Int)
    /// A counted expectation matched too rarely before the job went on (`got`).
    case tooFew(jobId: String, expected: String, times: Occurrences, seen: Int, got: String)
    /// `retries: N`: the job had more retryable failures, or ended (`ended`) after fewer.
    case retries(jobId: String, expected: Int, seen: Int, ended: String?)
    /// `never:` matched.
    case never(jobId: String, pattern: String, got: String)
    /// `strict: true`: an event of a listed type where the expectations do not allow it.
    case strict(jobId: String, got: String, expected: String)

    public var jobId: String {
        switch self {
        case .unexpectedTerminal(let id, _, _), .payload(let id, _, _, _), .tooMany(let id, _, _, _), .tooFew(let id, _, _, _, _),
             .retries(let id, _, _, _), .never(let id, _, _), .strict(let id, _, _):
            return id
        }
    }

    public var description: String {
        func times(_ n: Int) -> String { n == 1 ? "1 time" : "\(n) times" }
        func retries(_ n: Int) -> String { n == 1 ? "1 retry" : "\(n) retries" }
        switch self {
        case .unexpectedTerminal(let id, let expected, let got):
            return "job \(id) ended with \(got) while \(expected) was expected next"
        case .payload(let id, let field, let expected, let got):
            switch field {
            case "reason": return "job \(id): failure reason \"\(got)\" does not match /\(expected)/"
            case "podName", "terminationMessage": return "job \(id): \(field) \"\(got)\" does not match /\(expected)/"
            default: return "job \(id): expected \(field) \"\(expected)\" but got \"\(got)\""
            }
        case .tooMany(let id, let expected, let occurrences, let seen):
            return "job \(id): \(expected) occurred \(times(seen)) (at least), expected \(occurrences)"
        case .tooFew(let id, let expected, let occurrences, let seen, let got):
            return "job \(id): \(expected) occurred \(times(seen)), expected \(occurrences), before \(got)"
        case .retries(let id, let expected, let seen, let ended):
            if let ended { return "job \(id) ended with \(ended) after \(retries(seen)); retries: \(expected) expects \(retries(expected))" }
            return "job \(id) was retried \(times(seen)) (\(seen) retryable failures); retries: \(expected) expects \(retries(expected))"
        case .never(let id, let pattern, let got):
            return "job \(id) produced \(got), which never: \(pattern) forbids"
        case .strict(let id, let got, let expected):
            return "job \(id) produced \(got) where \(expected) was expected (strict: every event of a listed type must be expected)"
        }
    }
}
