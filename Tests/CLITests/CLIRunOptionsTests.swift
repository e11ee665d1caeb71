import Foundation
import TestFixtures
import Testing

/// The options of `test` for running at CI scale and seeing what happened: `--run`, `--skip`,
/// `--shard`, `--fail-fast`, `--retries`, `--keep-on-failure`, `-v`/`-vv`, `--html`.
@Suite struct CLIRunOptionsTests {
    func run(_ arguments: [String], in directory: URL = CLITests.root) async throws -> ProcessOutput {
        try await ProcessOutput.run(try CLITests.binary(), arguments, in: directory)
    }

    /// Test names in `list` output (`name  (file)` lines).
    static func names(_ listing: String) -> [String] {
        listing.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains("  (") }.map { String($0.prefix { $0 != " " }) }
    }

    /// A directory of test cases `name: command` (each expects its jobs to succeed).
    func library(_ tests: [(String, String)]) throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cli-select-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (i, (name, command)) in tests.enumerated() {
            try """
            name: \(name)
            queue: e2e-test-queue
            numBatches: 1
            batchSize: 1
            timeout: 60s
            \(CLITests.jobs(command))
            expectedEvents: [{submitted: }, {succeeded: }]
            """.write(to: dir.appendingPathComponent("\(i + 1)-\(name).yaml"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    func statuses(_ dir: URL) throws -> [String: (status: String, message: String)] {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        var out: [String: (String, String)] = [:]
        for test in report?["tests"] as? [[String: Any]] ?? [] {
            out[test["name"] as? String ?? ""] = (test["status"] as? String ?? "", test["message"] as? String ?? "")
        }
        return out
    }

    @Test func shardsOneTwoAndThreeOfThreePartitionTheLibrary() async throws {
        let all = try await run(["list", "--tests", "testcases/**/*.yaml"])
        #expect(all.status == 0, "\(all.stderr)")
        let everything = Self.names(all.stdout)
        #expect(everything.count == 25)
        var parts: [[String]] = []
        for i in 1...3 {
            let r = try await run(["list", "--tests", "testcases/**/*.yaml", "--shard", "\(i)/3"])
            #expect(r.status == 0, "\(r.stderr)")
            let part = Self.names(r.stdout)
            #expect(r.stderr.contains("selected \(part.count) of 25 test(s) (shard \(i)/3: \(25 - part.count) in other shards)"), "\(r.stderr)")
            parts.append(part)
        }
        #expect(parts.flatMap { $0 }.sorted() == everything.sorted())
        #expect(Set(parts.flatMap { $0 }).count == everything.count)
        #expect(parts.allSatisfy { !$0.isEmpty }, "\(parts.map(\.count))")
    }

    @Test func runAndSkipPickTestsByNameAndTheReportsNameTheShard() async throws {
        let dir = try library([("alpha-one", "exit 0"), ("alpha-two", "exit 0"), ("beta-three", "exit 0")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--run", "^alpha-", "--skip", "two",
                               "--shard", "1/1", "--junit", "junit.xml", "--json", "report.json"], in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(#"selected 1 of 3 test(s) (--run "^alpha-": 1 not matched; --skip "two": 1 skipped; shard 1/1: 0 in other shards)"#),
                "\(r.stdout)")
        let results = try statuses(dir)
        #expect(results.keys.sorted() == ["alpha-one"])
        #expect(results["alpha-one"]?.status == "passed")
        let xml = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(xml.contains(#"<property name="shard" value="1/1"/>"#), "\(xml)")
        #expect(!xml.contains("beta-three") && !xml.contains("alpha-two"))
        let json = try String(contentsOf: dir.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(json.contains(#""shard": "1/1""#))
    }

    @Test func aFilterThatLeavesNothingOrABadValueIsAUsageError() async throws {
        let none = try await run(["test", "--tests", "testcases/basic/*.yaml", "--embedded", "--run", "no-such-test"])
        #expect(none.status == 2, "\(none.stdout)\(none.stderr)")
        #expect(none.stderr.contains(#"--run "no-such-test" leaves none of the"#), "\(none.stderr)")
        #expect(!none.stdout.contains("embedded simulator"), "nothing may start: \(none.stdout)")
        for (flag, value, words) in [("--run", "(?=a)", "is not a Go regular expression"), ("--skip", "[z-a]", "is not a Go regular expression"),
                                     ("--shard", "3/2", "the shard must be from 1 to 2"), ("--shard", "two", "write INDEX/COUNT")] {
            let r = try await run(["test", "--tests", "testcases/basic/*.yaml", "--embedded", flag, value])
            #expect(r.status == 2, "\(flag) \(value): \(r.stderr)")
            #expect(r.stderr.contains(words), "\(flag) \(value): \(r.stderr)")
        }
    }

    @Test func failFastReportsTheRestAsNotRun() async throws {
        let dir = try library([("first-fails", "exit 3"), ("second", "exit 0"), ("third", "exit 0")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--parallel", "1", "--fail-fast",
                               "--json", "report.json"], in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let results = try statuses(dir)
        #expect(results["first-fails"]?.status == "failed")
        for name in ["second", "third"] {
            #expect(results[name]?.status == "skipped", "\(name): \(String(describing: results[name]))")
            #expect(results[name]?.message == #"not run: --fail-fast: "first-fails" ended FAIL"#, "\(String(describing: results[name]))")
        }
        // Without the flag every test runs.
        let all = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--parallel", "1", "--json", "report.json"], in: dir)
        #expect(all.status == 1)
        #expect(try statuses(dir).mapValues(\.status) == ["first-fails": "failed", "second": "passed", "third": "passed"])
    }

    @Test func retriesRunAFailingTestAgainWithFreshJobSets() async throws {
        let dir = try library([("always-fails", "exit 3")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--retries", "2",
                               "--json", "report.json", "--junit", "junit.xml"], in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("report.json"))) as? [String: Any]
        let test = try #require((report?["tests"] as? [[String: Any]])?.first)
        let attempts = try #require(test["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["status"] as? String } == ["failed", "failed"])
        #expect(Set(attempts.compactMap { $0["jobSet"] as? String } + [test["jobSet"] as? String ?? ""]).count == 3)
        let xml = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(xml.components(separatedBy: "<rerunFailure ").count == 3, "\(xml)")
        for bad in ["11", "-1", "x"] {
            let refused = try await run(["test", "--tests", "*.yaml", "--embedded", "--retries", bad], in: dir)
            #expect(refused.status == 2, "\(bad): \(refused.stderr)")
        }
    }

    @Test func verboseShowsEveryAPICallAndBodiesAtTheSecondLevel() async throws {
        let dir = try library([("quiet-one", "exit 0")])
        defer { try? FileManager.default.removeItem(at: dir) }
        for transport in ["grpc", "rest"] {
            let plain = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--transport", transport], in: dir)
            #expect(plain.status == 0 && !plain.stderr.contains("api: "), "\(plain.stderr)")
            let v = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--transport", transport, "-v"], in: dir)
            #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
            let submit = transport == "grpc" ? "api: api.Submit/SubmitJobs → OK in " : "api: POST /v1/job/submit → 200 in "
            #expect(v.stderr.contains(submit), "\(v.stderr)")
            #expect(!v.stderr.contains("api:   "), "-v shows no bodies: \(v.stderr)")
            let vv = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--transport", transport, "-vv"], in: dir)
            #expect(vv.status == 0)
            #expect(vv.stderr.contains("api:   ") && vv.stderr.contains(#""queue":"e2e-test-queue""#), "\(vv.stderr)") // the submit body
        }
    }

    @Test(.timeLimit(.minutes(1))) func serveLogsEveryRequestOnBothFrontDoors() async throws {
        let serve = try RunningCLI(["serve", "--port", "0", "--sim-runtime", "model", "--log-requests"], in: CLITests.root)
        defer { serve.stop() }
        #expect(await serve.waitForOutput("or over gRPC: --grpc-url "), "\(serve.stdout)\(serve.stderr)")
        let lines = serve.stdout.split(separator: "\n")
        let grpc = try #require(lines.first { $0.hasPrefix("or over gRPC: --grpc-url ") }).dropFirst("or over gRPC: --grpc-url ".count)
        let rest = try #require(lines.first { $0.hasPrefix("target it with: --rest-url ") }).dropFirst("target it with: --rest-url ".count)
        for target in [["--rest-url", String(rest)], ["--grpc-url", String(grpc)]] {
            let r = try await run(["test", "--tests", "testcases/basic/success.yaml", "--policy-settle", "0s"] + target)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
        #expect(await serve.waitForOutput("request: api.Submit/SubmitJobs → OK in "), "\(serve.stdout)")
        #expect(serve.stdout.contains("request: POST /v1/job/submit → 200 in "), "\(serve.stdout)")
        #expect(serve.stdout.contains("request: POST /v1/job-set/"), "\(serve.stdout)")
        #expect(!serve.stdout.contains("Authorization") && !serve.stdout.contains("jobRequestItems"), "no headers or bodies")
        serve.send(SIGTERM)
        #expect(await serve.status() == 0)
    }

    @Test func keepOnFailureListsWhatAFailedTestLeft() async throws {
        let dir = try library([("fails", "exit 3"), ("passes", "exit 0")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--keep-on-failure", "--json", "report.json"], in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("--keep-on-failure: what failed tests keep stays only until this run ends"), "\(r.stdout)")
        #expect(r.stdout.contains("kept (--keep-on-failure) for fails: job set 1-fails-"), "\(r.stdout)")
        #expect(!r.stdout.contains("kept (--keep-on-failure) for passes"))
        #expect(!r.stderr.contains("left behind"), "\(r.stderr)")
    }

    @Test(.timeLimit(.minutes(1))) func failFastInterruptsRunningTestsAndCleansUp() async throws {
        // At the embedded time scale the model's `sleep 3000` takes 30 s: the run must end long before.
        let dir = try library([("fails-at-once", "exit 3"), ("long", "sleep 3000")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ContinuousClock(), start = clock.now
        let r = try await run(["test", "--tests", "*.yaml", "--embedded", "--sim-runtime", "model", "--parallel", "2", "--fail-fast",
                               "--json", "report.json"], in: dir)
        #expect(clock.now - start < .seconds(25), "the long test was not stopped")
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let results = try statuses(dir)
        #expect(results["fails-at-once"]?.status == "failed")
        #expect(results["long"]?.status == "interrupted", "\(String(describing: results["long"]))")
        #expect(results["long"]?.message.hasPrefix(#"stopped by --fail-fast: "fails-at-once" ended FAIL; interrupted while"#) == true,
                "\(String(describing: results["long"]))")
        #expect(!r.stderr.contains("left behind"), "\(r.stderr)")
    }

    @Test func htmlWritesTheRetrySeedCaseRunByRunAndAnUnwritablePathStopsTheRunFirst() async throws {
        let dir = try CLIVerdictTests.Scratch()
        let seed = CLITests.root.appendingPathComponent("testcases/retries/single_pod_retry.yaml").path
        let r = try await run(["test", "--tests", seed, "--embedded", "--sim-runtime", "model", "--html", "out/report.html"], in: dir.url)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let html = try dir.read("out/report.html")
        #expect(html.contains("single-pod-retry") && html.contains("1 passed"))
        // The job failed once (exit 1), was retried, and its second run succeeded: both runs with their pods.
        for piece in ["<span class=\"lbl\">run 0</span>", "<span class=\"lbl\">run 1</span>", "<div class=\"decision retried\">↻ retried",
                      "exit 1", "-0-0</code>", "-0-1</code>", "node ", "<b>succeeded</b>"] {
            #expect(html.contains(piece), "the report has no \(piece)")
        }
        try dir.write("file", "x")
        let refused = try await run(["test", "--tests", seed, "--embedded", "--sim-runtime", "model", "--html", "file/report.html"], in: dir.url)
        #expect(refused.status == 2)
        #expect((refused.stdout + refused.stderr).contains("cannot write the HTML report to file/report.html"))
    }
}
