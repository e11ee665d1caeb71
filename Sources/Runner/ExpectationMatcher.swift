import ArmadaAPI
import TestSpec

/// Decides pass or fail from the event stream (testcase-format §2.7 with the §7 fixes, and the
/// extensions of README "Retry assertions"): per job, its sequence must appear as an ordered
/// subsequence by type; an entry's payload, run and pod checks must hold; a counted entry (`times`)
/// must match that often before the next one; `retries:` counts retryable failures; `never:`
/// patterns fail at once; `strict` forbids unexpected events of listed types. The test passes once
/// every distinct job has met its sequence. Pure value; feed it events.
public struct ExpectationMatcher: Sendable {
    /// One expected sequence and the rules that go with it.
    public struct Plan: Sendable {
        public var expected: [ExpectedEvent]
        public var retries: Int?
        public var strict: Bool
        /// The event types the sequence lists (what `strict` watches).
        let listed: Set<EventType>

        public init(expected: [ExpectedEvent], retries: Int? = nil, strict: Bool = false) {
            self.expected = expected
            self.retries = retries
            self.strict = strict
            listed = Set(expected.map(\.type))
        }
    }

    struct Job: Sendable {
        var plan: Int
        var index = 0
        /// Matches of the counted entry at `index`.
        var count = 0
        var retries = 0
        var ended = false
        var done = false
        var recent = RecentTypes()
        var history = RunHistory()
    }

    public let plans: [Plan]
    public let never: [ExpectedEvent]
    /// Job id → slot in `jobs` (one hash of the id per event).
    private let slots: [String: Int]
    private var jobs: [Job]
    /// Jobs whose every expectation is met, kept as events arrive.
    public private(set) var completedJobs = 0

    public enum Outcome: Sendable, Equatable {
        case pending
        case passed
        case failed(MatchFailure)
    }

    /// One sequence for every job (upstream's model).
    public init(expected: [ExpectedEvent], jobIds: some Sequence<String>, retries: Int? = nil, strict: Bool = false,
                never: [ExpectedEvent] = []) {
        self.init(plans: [Plan(expected: expected, retries: retries, strict: strict)], jobs: jobIds.map { ($0, 0) }, never: never)
    }

    /// The test's sequences: job `k` of the submitted ids is item `k % jobs.count` of `jobs`.
    public init(test: TestCase, jobIds: [String]) {
        var plans = [Plan(expected: test.expectedEvents, retries: test.retries, strict: test.strict)]
        plans += test.perJob.map { Plan(expected: $0.expectedEvents, retries: $0.retries ?? test.retries, strict: test.strict) }
        let width = max(1, test.jobs.count)
        let assigned = jobIds.enumerated().map { k, id in (id, test.expectation(forItem: k % width).entry.map { $0 + 1 } ?? 0) }
        self.init(plans: plans, jobs: assigned, never: test.never)
    }

    /// - Parameter jobs: the submitted jobs and the plan each follows; events of other jobs are ignored.
    public init(plans: [Plan], jobs: [(String, Int)], never: [ExpectedEvent]) {
        self.plans = plans
        self.never = never
        var slots: [String: Int] = [:]
        var states: [Job] = []
        for (id, plan) in jobs where slots[id] == nil {
            slots[id] = states.count
            states.append(Job(plan: plan))
        }
        self.slots = slots
        self.jobs = states
        for k in states.indices where Self.isDone(states[k], plans[states[k].plan]) {
            self.jobs[k].done = true
            completedJobs += 1
        }
    }

    public var jobCount: Int { jobs.count }
    public var isSatisfied: Bool { !jobs.isEmpty && completedJobs == jobs.count }

    public mutating func consume(_ event: EventMessage) -> Outcome {
        guard let type = event.type, let slot = slots[event.jobId] else { return isSatisfied ? .passed : .pending }
        let plan = plans[jobs[slot].plan], never = self.never
        // The job is changed in place: a copy taken out and written back would copy its event
        // and run lists at every event (they are shared with the table's copy while both live).
        if let failure = Self.consume(event, type, plan, never, &jobs[slot]) { return .failed(failure) }
        if !jobs[slot].done, Self.isDone(jobs[slot], plan) {
            jobs[slot].done = true
            completedJobs += 1
        }
        return isSatisfied ? .passed : .pending
    }

    private static func consume(_ event: EventMessage, _ type: EventType, _ plan: Plan, _ never: [ExpectedEvent],
                                _ job: inout Job) -> MatchFailure? {
        job.recent.append(type)
        let run = EventCheck.runIndex(of: event, leases: job.history.leases + (type == .leased ? 1 : 0))
        job.history.record(event, runIndex: run)
        for pattern in never where pattern.type == type && EventCheck.mismatch(pattern, event, runIndex: run) == nil {
            return .never(jobId: event.jobId, pattern: pattern.description, got: EventCheck.describe(event))
        }
        if let wanted = plan.retries {
            if type == .failed, event.retryable {
                job.retries += 1
                if job.retries > wanted { return .retries(jobId: event.jobId, expected: wanted, seen: job.retries, ended: nil) }
            }
            if event.isTerminal, job.retries < wanted {
                return .retries(jobId: event.jobId, expected: wanted, seen: job.retries, ended: EventCheck.describe(event))
            }
        }
        if event.isTerminal { job.ended = true }
        return step(&job, plan, event, type, run)
    }

    /// Feeds the event to the job's sequence.
    private static func step(_ job: inout Job, _ plan: Plan, _ event: EventMessage, _ type: EventType, _ run: Int?) -> MatchFailure? {
        let expected = plan.expected, id = event.jobId
        // With retries:, a retryable failure the sequence does not expect here is counted there instead.
        if plan.retries != nil, type == .failed, event.retryable,
           job.index >= expected.count || expected[job.index].failed?.retryable != true {
            return nil
        }
        let strictHit = plan.strict && plan.listed.contains(type)
        while true {
            guard job.index < expected.count else {
                return strictHit ? .strict(jobId: id, got: EventCheck.describe(event), expected: "nothing more (the sequence was complete)") : nil
            }
            let current = expected[job.index]
            let mismatch = current.type == type ? EventCheck.mismatch(current, event, runIndex: run) : nil
            guard let times = current.times else { // upstream: the first matching event advances
                if current.type == type {
                    if let m = mismatch { return .payload(jobId: id, field: m.field, expected: m.expected, got: m.got) }
                    job.index += 1
                    return nil
                }
                if strictHit { return .strict(jobId: id, got: EventCheck.describe(event), expected: current.description) }
                return event.isTerminal ? .unexpectedTerminal(jobId: id, expected: current.description, got: EventCheck.describe(event)) : nil
            }
            let matches = current.type == type && mismatch == nil
            if matches, times.max.map({ job.count < $0 }) ?? true {
                job.count += 1
                return nil
            }
            if job.count >= times.min {
                let next = job.index + 1 < expected.count ? expected[job.index + 1] : nil
                if let next, next.type == type, !matches || EventCheck.mismatch(next, event, runIndex: run) == nil {
                    job.index += 1 // the counted entry is done; the next one takes the event
                    job.count = 0
                    continue
                }
                if matches { return .tooMany(jobId: id, expected: current.description, times: times, seen: job.count + 1) }
                if strictHit {
                    return .strict(jobId: id, got: EventCheck.describe(event), expected: next.map { "\(current) or \($0)" } ?? "nothing more")
                }
                if let next, event.isTerminal {
                    return .unexpectedTerminal(jobId: id, expected: next.description, got: EventCheck.describe(event))
                }
                return nil
            }
            if let m = mismatch {
                return job.count == 0 ? .payload(jobId: id, field: m.field, expected: m.expected, got: m.got)
                    : .tooFew(jobId: id, expected: current.description, times: times, seen: job.count, got: EventCheck.describe(event))
            }
            if strictHit { return .strict(jobId: id, got: EventCheck.describe(event), expected: current.description) }
            if event.isTerminal {
                return job.count == 0 ? .unexpectedTerminal(jobId: id, expected: current.description, got: EventCheck.describe(event))
                    : .tooFew(jobId: id, expected: current.description, times: times, seen: job.count, got: EventCheck.describe(event))
            }
            return nil
        }
    }

    /// The sequence is met (what is left allows no more events) and, with `retries`, the job ended.
    private static func isDone(_ job: Job, _ plan: Plan) -> Bool {
        let expected = plan.expected
        if job.index < expected.count {
            guard let times = expected[job.index].times, job.count >= times.min,
                  expected[(job.index + 1)...].allSatisfy({ ($0.times?.min ?? 1) == 0 }) else { return false }
        }
        return plan.retries == nil || job.ended
    }

    /// What happened to each run of the job, for a failure message.
    public func runHistory(of jobId: String) -> String {
        slots[jobId].map { jobs[$0].history.summary } ?? ""
    }

    /// Where every job stands, grouped by plan and progress: `[submitted, leased] received but
    /// [failed(retryable), succeeded] missing for 2 job(s)`, most advanced first.
    public var progressSummary: [String] {
        var groups: [[Int]: Int] = [:]
        for job in jobs where !job.done { groups[[job.plan, job.index], default: 0] += 1 }
        return groups.keys.sorted { ($0[0], -$0[1]) < ($1[0], -$1[1]) }.map { key in
            let expected = plans[key[0]].expected, index = min(key[1], expected.count)
            let received = expected[..<index].map(\.description).joined(separator: ", ")
            let missing = expected[index...].map(\.description).joined(separator: ", ")
            let what = missing.isEmpty ? "their terminal event (retries:)" : "[\(missing)]"
            return "[\(received)] received but \(what) missing for \(groups[key]!) job(s)"
        }
    }

    /// The last event types seen for the jobs that are not done (at most `limit` jobs), with their runs.
    public func recentEvents(limit: Int = 3) -> [String] {
        slots.filter { !jobs[$0.value].done }.sorted { $0.key < $1.key }.prefix(limit).map { id, slot in
            let runs = jobs[slot].history.summary
            return "\(id): " + jobs[slot].recent.inOrder.map(\.rawValue).joined(separator: " → ") + (runs.isEmpty ? "" : " (\(runs))")
        }
    }
}

/// The last 8 event types of a job, in a ring (no shifting per event).
struct RecentTypes: Sendable {
    private var ring: [EventType] = []
    private var next = 0

    mutating func append(_ type: EventType) {
        if ring.count < 8 {
            ring.append(type)
        } else {
            ring[next] = type
            next = (next + 1) % 8
        }
    }

    var inOrder: [EventType] { Array(ring[next...] + ring[..<next]) }
}
