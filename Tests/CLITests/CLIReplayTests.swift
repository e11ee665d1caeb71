import Foundation
import TestFixtures
import Testing

/// `test --record DIR` and `testsuite replay DIR`: the same verdicts offline, a changed expectation
/// checked against a recorded run, unreadable tapes named.
@Suite struct CLIReplayTests {
    func run(_ arguments: [String], in directory: URL = CLITests.root) async throws -> ProcessOutput {
        try await ProcessOutput.run(try CLITests.binary(), arguments, in: directory)
    }

    @Test(.timeLimit(.minutes(2))) func theRetriesLibraryReplaysToTheSameVerdicts() async throws {
        let dir = try CLIVerdictTests.Scratch()
        let tapes = dir.url.appendingPathComponent("tapes").path
        let recorded = try await run(["test", "--tests", "retries/*.yaml", "--embedded", "--sim-runtime", "model", "--record", tapes, "--quiet"])
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: tapes).filter { $0.hasSuffix(".ndjson") }
        #expect(files.count == 15, "\(files)")
        let replay = try await run(["replay", tapes])
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.components(separatedBy: "recorded: passed)").count - 1 == 15, "\(replay.stdout)")
        #expect(replay.stdout.contains("15 passed, 0 failed"), "\(replay.stdout)")
        #expect(!replay.stdout.contains("differs"))
    }

    @Test(.timeLimit(.minutes(1))) func aFailedRunReplaysAsFailedAndAChangedExpectationIsCheckedAgainstIt() async throws {
        let dir = try CLIVerdictTests.Scratch()
        let test = dir.url.appendingPathComponent("exits.yaml")
        func write(expecting expected: String) throws {
            try """
            name: exits-three
            queue: e2e-test-queue
            numBatches: 1
            batchSize: 1
            timeout: 60s
            \(CLITests.jobs("exit 3"))
            expectedEvents: [{submitted: }, {\(expected): }]
            """.write(to: test, atomically: true, encoding: .utf8)
        }
        try write(expecting: "succeeded")
        let recorded = try await run(["test", "exits.yaml", "--embedded", "--sim-runtime", "model", "--record", "tapes"], in: dir.url)
        #expect(recorded.status == 1, "\(recorded.stdout)\(recorded.stderr)")
        let failed = try await run(["replay", "tapes", "--html", "replay.html"], in: dir.url)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("FAIL exits-three") && failed.stdout.contains("recorded: failed)"), "\(failed.stdout)")
        // The replay's HTML report draws the recorded run: the job's failure with its exit code.
        let html = try dir.read("replay.html")
        #expect(html.contains("replay of embedded simulator") && html.contains("<span class=\"lbl\">run 0</span>"), "\(html.prefix(2000))")
        #expect(html.contains("exit 3") && html.contains("✕ not retried"))
        // The corrected expectation passes on the recorded events, and the replay says it differs.
        try write(expecting: "failed")
        let fixed = try await run(["replay", "tapes"], in: dir.url)
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("PASS exits-three") && fixed.stdout.contains("differs from the recorded one (failed)"), "\(fixed.stdout)")
    }

    @Test func unreadableTapesAndMissingPathsAreErrors() async throws {
        let dir = try CLIVerdictTests.Scratch()
        try dir.write("bad.ndjson", "not a tape\n")
        let bad = try await run(["replay", "bad.ndjson"], in: dir.url)
        #expect(bad.status == 2 && bad.stderr.contains("bad.ndjson:1: not an event tape"), "\(bad.stderr)")
        let missing = try await run(["replay", "nowhere"], in: dir.url)
        #expect(missing.status == 2 && missing.stderr.contains("no such tape or directory: nowhere"), "\(missing.stderr)")
        try dir.write("file", "x")
        let noReport = try await run(["replay", "bad.ndjson", "--html", "file/r.html"], in: dir.url)
        #expect(noReport.status == 2 && noReport.stderr.contains("cannot write the HTML report to file/r.html"), "\(noReport.stderr)")
        let unwritable = try await run(["test", "--tests", "testcases/basic/success.yaml", "--embedded", "--record", "/proc/x"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("--record /proc/x"), "\(unwritable.stderr)")
    }
}
