import Foundation
import Testing

/// Signals from the moment `testsuite test` starts (issue #14 item 5): once its handler is
/// installed (at the top of `main`), a SIGINT always ends the run with 130 and both reports,
/// whatever the run was doing; before that (the dynamic loader's few milliseconds) the default
/// action ends it, with nothing started. No signal is ever lost (exit 0).
@Suite struct CLISignalTests {
    struct Trial: Sendable {
        var delay: Int
        var caught: Bool
        var status: Int32
        var signalled: Bool
        var junit: String?
        var json: String?
        var output: String
    }

    /// Starts the CLI, sends SIGINT after `delay` ms (the variable under test: where in start-up
    /// the signal lands; -1: once the banner is printed), and collects how it ended.
    static func trial(delay: Int, in dir: URL) async throws -> Trial {
        let junit = dir.appendingPathComponent("junit-\(delay).xml"), json = dir.appendingPathComponent("report-\(delay).json")
        let cli = try RunningCLI(["test", "--embedded", "--sim-runtime", "model", "--sim-time-scale", "1", "--tests", "slow.yaml",
                                  "--junit", junit.path, "--json", json.path], in: dir)
        defer { cli.stop() }
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        if delay < 0 { _ = await cli.waitForOutput("running on the embedded simulator") }
        let caught = cli.catches(SIGINT)
        cli.send(SIGINT)
        let status = await cli.status()
        return Trial(delay: delay, caught: caught, status: status, signalled: cli.signalled,
                     junit: try? String(contentsOf: junit, encoding: .utf8), json: try? String(contentsOf: json, encoding: .utf8),
                     output: cli.stdout + cli.stderr)
    }

    @Test(.timeLimit(.minutes(2))) func aSigintAnywhereInStartUpIsHonouredWithReports() async throws {
        let scratch = try CLIVerdictTests.Scratch()
        let dir = scratch.url
        try scratch.write("slow.yaml", """
        name: slow
        queue: e2e-test-queue
        numBatches: 1
        batchSize: 1
        timeout: "60s"
        \(CLITests.jobs("sleep 30"))
        expectedEvents: [{submitted: }, {succeeded: }]
        """)
        let delays = [-1, 0, 1, 2, 4, 6, 8, 10, 15, 20, 30, 45, 60, 70, 80, 90, 120, 200, 400, 800]
        // Four at a time: each starts a simulator, and a loaded machine stretches start-up.
        var trials: [Trial] = []
        for start in stride(from: 0, to: delays.count, by: 4) {
            trials += try await withThrowingTaskGroup(of: Trial.self) { group in
                for delay in delays[start..<min(delays.count, start + 4)] { group.addTask { try await Self.trial(delay: delay, in: dir) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        trials.sort { $0.delay < $1.delay }
        for t in trials {
            let label = "SIGINT at \(t.delay) ms (handler installed: \(t.caught))"
            #expect(!(t.status == 0 && !t.signalled), "\(label): the signal was lost\n\(t.output)")
            if t.signalled {
                // Only the default action before the handler exists ends it by the signal.
                #expect(!t.caught && t.status == SIGINT, "\(label): ended by signal \(t.status)\n\(t.output)")
                continue
            }
            #expect(t.status == 130, "\(label): exit \(t.status)\n\(t.output)")
            // The run stopped before or while the test ran: both reports say so.
            let junit = try #require(t.junit, "\(label): no JUnit report\n\(t.output)")
            #expect(junit.contains("<skipped message=\"not run: the run was interrupted before this test started\"/>")
                        || junit.contains("type=\"Interrupted\""), "\(label): \(junit)")
            let json = try #require(t.json, "\(label): no JSON report")
            #expect(json.contains(#""status": "skipped""#) || json.contains(#""status": "interrupted""#), "\(label)")
        }
        // The signal sent once the banner is out met the handler (however loaded the machine),
        // so the handler's path was exercised.
        #expect(trials.first?.caught == true && trials.first?.status == 130)
    }
}
