import Foundation
import TestFixtures
import Testing

/// Runs the built `testsuite` executable and checks its output and exit codes (0 ok, 1 invalid,
/// 2 usage).
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    typealias Output = ProcessOutput

    /// The executable sits next to the test bundle in the build directory.
    static func binary() throws -> URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("testsuite")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = root.appendingPathComponent(".build/debug/testsuite")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: fallback.path])
        }
        return fallback
    }

    /// The `jobs:` block of a one-container test case running `sh -c command` (100m / 25Mi).
    static func jobs(_ command: String) -> String { TestFixtures.jobsBlock(command: command) }

    func run(_ arguments: [String], in directory: URL = CLITests.root) async throws -> Output {
        try await ProcessOutput.run(try Self.binary(), arguments, in: directory)
    }

    /// Environment values are checked like flags: a bad one is a usage error naming the range.
    @Test func aBadStreamBufferFromTheEnvironmentIsAUsageError() async throws {
        for value in ["-5", "0", "abc", "99999999999999999999"] {
            var environment = ProcessInfo.processInfo.environment
            environment["ARMADA_STREAM_BUFFER"] = value
            let r = try await ProcessOutput.run(try Self.binary(), ["test", "--embedded", "--tests", "retries/single_pod_retry.yaml"],
                                          in: Self.root, environment: environment)
            #expect(r.status == 2, "\(value): \(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains("ARMADA_STREAM_BUFFER=\"\(value)\" must be a number of bytes from 65536 to 1073741824"), "\(r.stderr)")
        }
    }

    @Test func validateTheLibraryExitsZero() async throws {
        let r = try await run(["validate", "--tests", "testcases/**/*.yaml"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("ok      testcases/retries/single_pod_retry.yaml"))
        #expect(r.stdout.hasSuffix("25 files: 25 valid, 0 invalid\n"))
    }

    @Test func aTypoExitsOneWithPositionAndSuggestion() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "queue: q\nqueueConfig:\n  setup:\n    numBatchs: 1\n".write(to: dir.appendingPathComponent("typo.yaml"),
                                                                     atomically: true, encoding: .utf8)
        let r = try await run(["validate", "--tests", "typo.yaml"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("typo.yaml:4:5: error: queueConfig.setup: unknown key \"numBatchs\"; did you mean \"numBatches\"?"))
        let lenient = try await run(["validate", "--lenient", "--tests", "typo.yaml"], in: dir)
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("warning:"))
    }

    @Test func aPatternMatchingNothingExitsTwo() async throws {
        let r = try await run(["validate", "--tests", "nothing/*.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no test case matches 'nothing/*.yaml'"))
        #expect(try await run(["validate"]).status == 2)
        #expect(try await run(["frobnicate"]).status == 2)
    }

    @Test func listShowsTheTestAndFallsBackToTestcases() async throws {
        let r = try await run(["list", "--tests", "retries/single_pod_retry.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("expected: submitted → leased → failed(retryable) → succeeded"))
        #expect(r.stdout.contains("policy: single-pod-retry (retryLimit 2, default Fail): Retry on conditions AppError"))
    }

    @Test func testRunsOnTheEmbeddedSimulatorWithExitCodes() async throws {
        let pass = try await run(["test", "--tests", "basic/success.yaml", "--sim-runtime", "model", "--embedded"])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(pass.stdout.contains("running on the embedded simulator"))
        #expect(pass.stdout.contains("1 passed, 0 failed"))
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        queue: e2e-test-queue
        numBatches: 1
        batchSize: 1
        \(CLITests.jobs("exit 2"))
        expectedEvents: [{submitted: }, {succeeded: }]
        """.write(to: dir.appendingPathComponent("fails.yaml"), atomically: true, encoding: .utf8)
        let fail = try await run(["test", "--tests", "fails.yaml", "--sim-runtime", "model", "--junit", "report.xml"], in: dir)
        #expect(fail.status == 1)
        #expect(fail.stdout.contains("0 passed, 1 failed"))
        let junit = try String(contentsOf: dir.appendingPathComponent("report.xml"), encoding: .utf8)
        #expect(junit.contains(#"tests="1" failures="1""#) && junit.contains("<failure type=\"ExpectationFailure\""))
        let unreachable = try await run(["test", "--tests", "basic/success.yaml", "--rest-url", "http://127.0.0.1:9"])
        #expect(unreachable.status == 2 && unreachable.stderr.contains("is unreachable"))
    }

    @Test func serveRefusesTheProcessRuntimeOffLoopback() async throws {
        let r = try await run(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("refusing to run the process runtime on 0.0.0.0"))
        let badConfig = try await run(["serve", "--config", "/nonexistent/sim.yaml"])
        #expect(badConfig.status == 2 && badConfig.stderr.contains("could not read /nonexistent/sim.yaml"))
    }

    @Test func versionAndHelp() async throws {
        let v = try await run(["version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("testsuite "))
        let h = try await run(["--help"])
        #expect(h.status == 0 && h.stdout.contains("validate"))
    }
}
