import ArmadaAPI
import RetryEngine

/// One loaded test case: every field of upstream's `TestSpec` plus inline retry policies.
public struct TestCase: Sendable, Hashable {
    /// The file as it was found (relative to the working directory when discovered there).
    public var file: String
    /// File base name without extension; the default name and the job-set prefix.
    public var fileName: String
    public var name: String
    public var jobs: [JobSubmitRequestItem]
    public var expectedEvents: [ExpectedEvent]
    public var queue: String
    public var numBatches: UInt32
    public var batchSize: UInt32
    /// Time between batches (ticker semantics: the first batch also waits one interval).
    public var interval: GoDuration
    /// Deadline for the whole case; zero means none.
    public var timeout: GoDuration
    public var randomClientId: Bool
    public var getLogs: Bool
    /// Prometheus labels only.
    public var environment: String
    public var target: String
    /// The trigger as written; see `trigger` for the effective one.
    public var triggerEvent: EventType?
    /// Every configured action in precedence order; only the first one runs.
    public var actions: [TestAction]
    public var queueConfig: QueueConfig?
    /// Policies the runner creates (under run-unique names) before anything is submitted.
    public var retryPolicies: [RetryPolicy]
    /// Every job is retried exactly this many times: that many retryable `failed` events, then its
    /// terminal event (`retries:`; a `perJob:` entry may set its own).
    public var retries: Int?
    /// No event of a type the expectations list may occur in a job's stream unless it is expected there.
    public var strict = false
    /// Event patterns that must not occur for any job while the test runs.
    public var never: [ExpectedEvent] = []
    /// Per-item sequences; items none selects follow `expectedEvents`.
    public var perJob: [JobExpectation] = []
    /// The loader's warnings for this file (keys `--lenient` dropped among them), as
    /// `file:line:col: warning: …` lines, for the reports.
    public var warnings: [String] = []

    public init(file: String, fileName: String, name: String, jobs: [JobSubmitRequestItem] = [],
                expectedEvents: [ExpectedEvent] = [], queue: String = "", numBatches: UInt32 = 0,
                batchSize: UInt32 = 0, interval: GoDuration = .zero, timeout: GoDuration = .zero,
                randomClientId: Bool = false, getLogs: Bool = false, environment: String = "", target: String = "",
                triggerEvent: EventType? = nil, actions: [TestAction] = [], queueConfig: QueueConfig? = nil,
                retryPolicies: [RetryPolicy] = []) {
        self.file = file
        self.fileName = fileName
        self.name = name
        self.jobs = jobs
        self.expectedEvents = expectedEvents
        self.queue = queue
        self.numBatches = numBatches
        self.batchSize = batchSize
        self.interval = interval
        self.timeout = timeout
        self.randomClientId = randomClientId
        self.getLogs = getLogs
        self.environment = environment
        self.target = target
        self.triggerEvent = triggerEvent
        self.actions = actions
        self.queueConfig = queueConfig
        self.retryPolicies = retryPolicies
    }

    /// The action that runs.
    public var action: TestAction? { actions.first }

    /// The event every job must reach before the action runs.
    public var trigger: EventType? { action.map { triggerEvent ?? $0.defaultTrigger } }

    /// No jobs and no batches: only the queue phases run.
    public var isPureQueueTest: Bool { jobs.isEmpty && numBatches == 0 }

    /// The folder the file sits in below `testcases/` (`retries`, `basic/gangs` as `basic.gangs`);
    /// for a file elsewhere its parent folder's name. JUnit's classname.
    public var folder: String {
        let parts = file.split(separator: "/").map(String.init)
        if let root = parts.lastIndex(of: "testcases") {
            let below = parts[(root + 1)...].dropLast()
            return below.isEmpty ? "testcases" : below.joined(separator: ".")
        }
        let parent = parts.dropLast().last(where: { $0 != "." })
        return parent ?? "testcases"
    }

    /// No jobs and no queueConfig: running it would test nothing, so it can never pass.
    public var checksNothing: Bool { isPureQueueTest && queueConfig == nil }

    public static let checksNothingMessage = "this test case has no jobs and no queueConfig, so it checks nothing"

    /// Jobs submitted over the whole case (`Int.max` when the product does not fit).
    public var totalJobs: Int { SaturatingProduct.of(jobs.count, Int(batchSize), Int(numBatches)) }

    /// The most jobs one test case may submit: the runner follows each of them, and a typo such as
    /// `batchSize: 4294967295` must be a loader error, not an out-of-memory kill.
    public static let maxJobs = 100_000

    /// `submitted → leased → failed(retryable) → succeeded`, with the per-job sequences after it.
    public var expectedSequence: String {
        var parts: [String] = []
        if perJob.isEmpty || itemsWithoutPerJob > 0 {
            parts.append(expectedEvents.map(\.description).joined(separator: " → "))
        }
        for entry in perJob {
            parts.append("\(entry.selector): " + entry.expectedEvents.map(\.description).joined(separator: " → "))
        }
        return parts.joined(separator: "; ")
    }

    /// The sequence and retry count the item at `position` in `jobs` follows.
    public func expectation(forItem position: Int) -> (events: [ExpectedEvent], retries: Int?, entry: Int?) {
        if let k = perJob.firstIndex(where: { $0.items.contains(position) }) {
            return (perJob[k].expectedEvents, perJob[k].retries ?? retries, k)
        }
        return (expectedEvents, retries, nil)
    }

    /// Items of `jobs` no `perJob:` entry selects.
    public var itemsWithoutPerJob: Int {
        let selected = Set(perJob.flatMap(\.items))
        return jobs.indices.filter { !selected.contains($0) }.count
    }
}
