import ArmadaAPI
import ArmadaClient
import Foundation

/// What Armada's Jobs API records about the jobs a failing test is about: the error that ended each
/// job (`GetJobErrors`) and its runs one by one, with node and times (`GetJobDetails` with runs),
/// so a failure can be read run by run without a cluster shell. Appended to the failure's message.
public enum JobRecordNotes {
    /// Jobs worth asking about: those that ended in a terminal failure, then those that never ended.
    static func pick(_ jobs: [JobTimeline], limit: Int = 3) -> [String] {
        let failed = jobs.filter { $0.events.last?.type == "failed" && $0.events.last?.retryable != true }
        let unfinished = jobs.filter { job in
            guard let last = job.events.last else { return true }
            return !["failed", "succeeded", "cancelled"].contains(last.type) || last.retryable == true
        }
        var ids: [String] = []
        for job in failed + unfinished where !ids.contains(job.jobId) && ids.count < limit { ids.append(job.jobId) }
        return ids
    }

    /// Asks the API; a target that cannot answer (no query API, an old server) says so in one line.
    public static func fetch(_ client: any ArmadaAPIClient, jobs: [JobTimeline]) async -> [String] {
        let ids = pick(jobs)
        guard !ids.isEmpty else { return [] }
        do {
            let errors = try await client.jobErrors(JobErrorsRequest(jobIds: ids)).jobErrors
            let details = try await client.jobDetails(JobDetailsRequest(jobIds: ids, expandJobRun: true)).jobDetails
            let podNames = Dictionary(jobs.map { ($0.jobId, $0.podNames) }, uniquingKeysWith: { a, _ in a })
            return lines(ids: ids, details: details, errors: errors, podNames: podNames)
        } catch {
            return ["Armada's record of the jobs is unavailable: \(error)"]
        }
    }

    /// `Armada's record of job 01k…: failed; error: …` and one line per run. Pure.
    /// `podNames`: each job's pod names in run order, as its events gave them (the API's run details
    /// carry none); shown when there is one per run.
    static func lines(ids: [String], details: [String: JobDetails], errors: [String: String],
                      podNames: [String: [String]] = [:]) -> [String] {
        var out: [String] = []
        for id in ids {
            guard let job = details[id] else {
                out.append("Armada's record of job \(id): none (the Jobs API does not know the job)")
                continue
            }
            var head = "Armada's record of job \(id): \(job.state.protoName.lowercased())"
            if let error = errors[id], !error.isEmpty { head += "; error: " + oneLine(error, limit: 400) }
            out.append(head)
            let pods = podNames[id] ?? []
            for (index, run) in job.jobRuns.enumerated() {
                let pod = pods.count == job.jobRuns.count && !pods[index].isEmpty ? pods[index] : nil
                out.append("  " + describe(run, index: index, pod: pod))
            }
        }
        return out
    }

    /// `run 1 (pod armada-…-0-1, id 6d04…): failed on node-1 (executor local), leased 12:00:01.250 UTC, pending +0.05s, running +0.06s, finished +2.1s`.
    static func describe(_ run: JobRunDetails, index: Int, pod: String? = nil) -> String {
        var text = "run \(index) (" + (pod.map { "pod \($0), " } ?? "") + "id \(run.runId)): \(run.state.words)"
        if !run.node.isEmpty { text += " on \(run.node)" }
        if !run.cluster.isEmpty { text += " (executor \(run.cluster))" }
        guard let leased = run.leasedTs else { return text }
        text += ", leased \(clock(leased.date))"
        for (label, stamp) in [("pending", run.pendingTs), ("running", run.startedTs), ("finished", run.finishedTs)] {
            guard let stamp else { continue }
            text += ", \(label) +" + seconds(stamp.date.timeIntervalSince(leased.date))
        }
        return text
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let joined = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ⏎ ")
        return joined.count > limit ? String(joined.prefix(limit)) + "…" : joined
    }

    /// `11:28:20.925 UTC`.
    public static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.hour, .minute, .second, .nanosecond], from: date)
        let millis = (c.nanosecond ?? 0) / 1_000_000
        return String(format: "%02d:%02d:%02d.%03d UTC", c.hour ?? 0, c.minute ?? 0, c.second ?? 0, millis)
    }

    static func seconds(_ interval: TimeInterval) -> String {
        guard interval.isFinite, abs(interval) < 1e9 else { return "?" }
        return interval < 10 ? String(format: "%.2fs", interval) : String(format: "%.1fs", interval)
    }
}
