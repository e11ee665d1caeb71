import ArmadaAPI
import RetryEngine
import TestSpec

/// Compares one event with one expected entry (or `never:` pattern): its run, pod name and, for
/// `failed`, the failure payload. Pure; patterns are Go regexps, compiled once per process.
enum EventCheck {
    struct Mismatch: Sendable, Equatable {
        var field: String
        var expected: String
        var got: String
    }

    /// The first field that does not match, or nil when the event matches (its type is not compared).
    static func mismatch(_ want: ExpectedEvent, _ event: EventMessage, runIndex: Int?) -> Mismatch? {
        if let failed = want.failed, let m = mismatch(failed, event) { return m }
        if let run = want.runIndex, run != runIndex {
            return Mismatch(field: "runIndex", expected: String(run), got: runIndex.map(String.init) ?? "none (no run yet)")
        }
        if let pattern = want.podName, !pattern.isEmpty, RegexCache.contains(pattern, in: event.podName) == false {
            return Mismatch(field: "podName", expected: pattern, got: event.podName)
        }
        return nil
    }

    /// The failure payload, in upstream's order (reason, category, subcategory, retryable), then
    /// exit code and termination message.
    private static func mismatch(_ failed: FailedExpectation, _ event: EventMessage) -> Mismatch? {
        if let pattern = failed.reason, !pattern.isEmpty, RegexCache.contains(pattern, in: event.reason) == false {
            return Mismatch(field: "reason", expected: pattern, got: event.reason)
        }
        if let c = failed.failureCategory, !c.isEmpty, c != event.failureCategory {
            return Mismatch(field: "failureCategory", expected: c, got: event.failureCategory)
        }
        if let s = failed.failureSubcategory, !s.isEmpty, s != event.failureSubcategory {
            return Mismatch(field: "failureSubcategory", expected: s, got: event.failureSubcategory)
        }
        if let r = failed.retryable, r != event.retryable {
            return Mismatch(field: "retryable", expected: String(r), got: String(event.retryable))
        }
        if let code = failed.exitCode, code != event.firstNonZeroExitCode {
            return Mismatch(field: "exitCode", expected: String(code), got: String(event.firstNonZeroExitCode))
        }
        if let pattern = failed.terminationMessage, !pattern.isEmpty {
            let messages = event.containerStatuses.isEmpty ? [""] : event.containerStatuses.map(\.message)
            if !messages.contains(where: { RegexCache.contains(pattern, in: $0) == true }) {
                return Mismatch(field: "terminationMessage", expected: pattern, got: messages.joined(separator: " | "))
            }
        }
        return nil
    }

    /// The run an event belongs to: the suffix of a pod name `armada-<jobId>-0-<runIndex>`, else
    /// the job's leases so far (each run starts with one), nil before the first.
    static func runIndex(of event: EventMessage, leases: Int) -> Int? {
        if let rest = JobTimeline.runPart(ofPodName: event.podName, jobId: event.jobId), let n = Int(rest), n >= 0 { return n }
        return leases > 0 ? leases - 1 : nil
    }

    /// `failed(user_error, exit 1, retryable, reason "…")`, `succeeded`.
    static func describe(_ e: EventMessage) -> String {
        guard e.type == .failed else { return e.type?.rawValue ?? e.typeName }
        var parts: [String] = []
        if !e.failureCategory.isEmpty { parts.append(e.failureCategory) }
        if e.firstNonZeroExitCode != 0 { parts.append("exit \(e.firstNonZeroExitCode)") }
        if e.retryable { parts.append("retryable") }
        if !e.reason.isEmpty { parts.append("reason \"\(OneLine.shorten(e.reason, limit: 200))\"") }
        return "failed" + (parts.isEmpty ? "" : "(\(parts.joined(separator: ", ")))")
    }
}
