import ArmadaClient
import Foundation

/// The mutable state of one test-case run: names in use, log lines, registered cleanups.
struct RunContext {
    var jobSetId: String
    var queue: String
    var policies: [String] = []
    /// What the run is doing, for an interrupt's message.
    var phase = "starting"
    private(set) var cleanups: [(Cleanup, token: Int?)] = []
    private(set) var lines: [String] = []
    let ledger: CleanupLedger?
    /// The test's index in the suite, which owns its ledger entries.
    let index: Int

    init(jobSetId: String, queue: String, ledger: CleanupLedger?, index: Int = 0) {
        self.jobSetId = jobSetId
        self.queue = queue
        self.ledger = ledger
        self.index = index
    }

    mutating func log(_ line: String) { lines.append(line) }

    /// Registers a cleanup; call it before the side effect it undoes.
    mutating func register(_ cleanup: Cleanup) {
        cleanups.append((cleanup, ledger?.add(cleanup.description, owner: index)))
    }

    /// Drops the registered cleanups without running them (`--keep-on-failure`); returns what they
    /// would have removed, oldest first. Kept on purpose, they leave the ledger: not "left behind".
    mutating func keepCleanups() -> [String] {
        let pending = cleanups
        cleanups = []
        for (_, token) in pending { if let token { ledger?.remove(token) } }
        return pending.map(\.0.description)
    }

    /// Runs every registered cleanup, newest first, in a task of its own so that an interrupted
    /// (cancelled) run still cleans up; problems are logged, never raised.
    mutating func runCleanups(_ client: any ArmadaAPIClient, deadline: Duration) async {
        let pending = cleanups
        cleanups = []
        let ledger = self.ledger
        let problems = await Task {
            var problems: [String] = []
            for (cleanup, token) in pending.reversed() {
                if let problem = await cleanup.run(client, deadline: deadline) {
                    problems.append(problem) // stays in the ledger: it is left behind
                } else if let token {
                    ledger?.remove(token)
                }
            }
            return problems
        }.value
        for problem in problems { log("cleanup: \(problem)") }
    }
}
