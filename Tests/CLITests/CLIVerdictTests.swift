import Foundation
import TestFixtures
import Testing

/// `testsuite` as a new user and a CI pipeline use it: the wrong target, an empty test, clashing
/// names, misspelt flags and unwritable reports never give a green run.
@Suite struct CLIVerdictTests {
    /// A scratch directory with `testcases` linked to the repository's, removed at the end.
    final class Scratch: Sendable {
        let url: URL
        init() throws {
            url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cli-verdict-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: url.appendingPathComponent("testcases"),
                                                       withDestinationURL: CLITests.root.appendingPathComponent("testcases"))
        }
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        func read(_ name: String) throws -> String { try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    /// Runs the binary with a clean environment: no ARMADA_* variables and a HOME without ~/.armadactl.yaml.
    func run(_ arguments: [String], in dir: Scratch, environment: [String: String] = [:]) async throws -> CLITests.Output {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARMADA_") }
        env["HOME"] = dir.url.path
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        return try await ProcessOutput.run(try CLITests.binary(), arguments, in: dir.url, environment: env)
    }

    static let passing = """
        queue: e2e-test-queue
        numBatches: 1
        batchSize: 1
        \(CLITests.jobs("exit 0"))
        expectedEvents: [{submitted: }, {succeeded: }]
        """

    // MARK: 1. Never the wrong target

    @Test func aConfigThatNamesNoTargetNeverFallsBackToTheSimulator() async throws {
        let dir = try Scratch()
        let typo = try dir.write("typo.yaml", "currentContex: local\ncontexts:\n  local:\n    armadaRestUrl: http://localhost:8081\n")
        let r = try await run(["test", "--config", typo, "--tests", "basic/success.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: \(typo):1:1: unknown key \"currentContex\"; did you mean \"currentContext\"?"), "\(r.stderr)")
        #expect(!r.stdout.contains("simulator") && !r.stdout.contains("PASS"))
        let sim = try await run(["test", "--config", CLITests.root.appendingPathComponent("config/sim.yaml").path, "--tests", "basic/success.yaml"], in: dir)
        #expect(sim.status == 2 && sim.stderr.contains("this is a simulator config") && !sim.stdout.contains("PASS"))
        // The same through ARMADA_CONFIG and ~/.armadactl.yaml.
        let empty = try dir.write("empty.yaml", "# no target yet\n")
        let env = try await run(["test", "--tests", "basic/success.yaml"], in: dir, environment: ["ARMADA_CONFIG": empty])
        #expect(env.status == 2 && env.stderr.contains("\(empty) names no Armada target"))
        try dir.write(".armadactl.yaml", "contexts:\n  a:\n    armadaRestUrl: http://127.0.0.1:9\n")
        let home = try await run(["test", "--tests", "basic/success.yaml"], in: dir)
        #expect(home.status == 2 && home.stderr.contains(".armadactl.yaml selects no context"), "\(home.stderr)")
        // Upstream's global position for --config is read too.
        let global = try await run(["--config", typo, "test", "--tests", "basic/success.yaml"], in: dir)
        #expect(global.status == 2 && global.stderr.contains("unknown key \"currentContex\""))
    }

    @Test func theBannerSaysWhyTheSimulatorRuns() async throws {
        let dir = try Scratch()
        let none = try await run(["test", "--sim-runtime", "model", "basic/success.yaml"], in: dir)
        #expect(none.status == 0, "\(none.stdout)\(none.stderr)")
        #expect(none.stdout.hasPrefix("No Armada target configured (no --grpc-url, --rest-url, --context or --config; ARMADA_GRPC_URL, "
            + "ARMADA_REST_URL, ARMADA_CONTEXT and ARMADA_CONFIG unset; no ~/.armadactl.yaml): running on the embedded simulator, "
            + "runtime model, over gRPC (gRPC 127.0.0.1:"))
        let rest = try await run(["test", "--sim-runtime", "model", "--transport", "rest", "basic/success.yaml"], in: dir)
        #expect(rest.status == 0 && rest.stdout.contains("running on the embedded simulator, runtime model, over REST (gRPC 127.0.0.1:"))
        try dir.write(".armadactl.yaml", "currentContext: a\ncontexts:\n  a:\n    armadaRestUrl: http://127.0.0.1:9\n")
        let embedded = try await run(["test", "--embedded", "--sim-runtime", "model", "basic/success.yaml"], in: dir)
        #expect(embedded.status == 0 && embedded.stdout.hasPrefix("--embedded given (a configured target, if any, is not used): running on the embedded simulator"))
    }

    // MARK: 2. Warnings, and tests that check nothing

    @Test func warningsComeFirstAndAnEmptyTestIsInvalid() async throws {
        let dir = try Scratch()
        try dir.write("t/nothing.yaml", "name: nothing\nqueue: q\n")
        try dir.write("t/legacy.yaml", "name: legacy\n\(Self.passing)\nfrobnicate: 1\n")
        let r = try await run(["test", "--sim-runtime", "model", "--lenient", "--junit", "j.xml", "--tests", "t/*.yaml"], in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("t/legacy.yaml:14:1: warning: unknown key \"frobnicate\" at the top level (ignored: --lenient)"), "\(r.stderr)")
        #expect(r.stderr.contains("t/nothing.yaml:1:1: warning: this test case has no jobs and no queueConfig, so it checks nothing"))
        #expect(r.stdout.contains("INVALID nothing ") && r.stdout.contains("PASS legacy "))
        #expect(r.stdout.contains("1 passed, 0 failed, 1 invalid"))
        let xml = try dir.read("j.xml")
        #expect(xml.contains(#"<error type="InvalidTestCase" message="this test case has no jobs and no queueConfig, so it checks nothing">"#))
        #expect(xml.contains("warning: unknown key \"frobnicate\" at the top level (ignored: --lenient)"))
    }

    // MARK: 3. Names are unique in a run

    @Test func twoTestsWithOneNameAreAnErrorBeforeAnythingRuns() async throws {
        let dir = try Scratch()
        try dir.write("a/same.yaml", "name: twin\n\(Self.passing)\n")
        try dir.write("b/same.yaml", "name: twin\n\(Self.passing)\n")
        let r = try await run(["test", "--sim-runtime", "model", "--tests", "a/*.yaml", "--tests", "b/*.yaml"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: test case name \"twin\" is used by 2 files: a/same.yaml, b/same.yaml"), "\(r.stderr)")
        #expect(!r.stdout.contains("simulator") && !r.stdout.contains("START"))
        let validate = try await run(["validate", "a/same.yaml", "b/same.yaml"], in: dir)
        #expect(validate.status == 1 && validate.stderr.contains("test case name \"twin\" is used by 2 files"))
    }

    // MARK: 4. Selecting tests, flags

    @Test func testsAddUpFromRepeatedFlagsAndPaths() async throws {
        let dir = try Scratch()
        let r = try await run(["list", "--tests", "basic/success.yaml", "--tests", "basic/nonzero_exit.yaml,retries/global_cap.yaml",
                         "testcases/queue"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("\n4 test cases\n"))
        for name in ["basic-success", "basic-nonzero-exit", "retry-global-cap", "queue-lifecycle"] {
            #expect(r.stdout.contains(name), "\(name)")
        }
    }

    @Test func misspeltAndUpstreamFlagsAreNamed() async throws {
        let dir = try Scratch()
        let test = try await run(["test", "--test", "basic/success.yaml"], in: dir)
        #expect(test.status == 2 && test.stderr.hasPrefix("error: Unknown option '--test'. Did you mean '--tests'?"), "\(test.stderr)")
        let short = try await run(["test", "-t", "basic/success.yaml"], in: dir)
        #expect(short.status == 2 && short.stderr.hasPrefix("error: Unknown option '-t'"))
        let none = try await run(["test"], in: dir)
        #expect(none.status == 2 && none.stderr.hasPrefix("error: no test cases given: pass --tests"))
        // Upstream's --armadaUrl is --grpc-url (a closed port: not healthy, exit 2).
        let grpc = try await run(["test", "--armadaUrl", "127.0.0.1:9", "basic/success.yaml"], in: dir)
        #expect(grpc.status == 2 && grpc.stdout.contains("target: grpc://127.0.0.1:9 (gRPC; --grpc-url;"), "\(grpc.stdout)")
        #expect(grpc.stderr.contains("error: grpc://127.0.0.1:9 is not healthy: api.Submit/Health"), "\(grpc.stderr)")
        let both = try await run(["test", "--armadaUrl", "a:1", "--grpc-url", "b:2", "basic/success.yaml"], in: dir)
        #expect(both.status == 2 && both.stderr.contains("--armadaUrl is upstream's spelling of --grpc-url: give only one"))
        // Upstream's Pushgateway spelling is accepted; an unreachable gateway is one readable line and exit 2.
        let push = try await run(["test", "--sim-runtime", "model", "--prometheusPushgatewayUrl", "http://127.0.0.1:9", "basic/success.yaml"], in: dir)
        #expect(push.status == 2 && push.stdout.contains("1 passed, 0 failed"))
        #expect(push.stderr == "error: cannot push metrics to http://127.0.0.1:9: connection refused\n", "\(push.stderr)")
    }

    // MARK: 5. Report paths

    @Test func reportPathsAreCheckedBeforeTheFirstTest() async throws {
        let dir = try Scratch()
        try dir.write("file", "not a directory")
        let bad = try await run(["test", "--sim-runtime", "model", "--junit", "file/junit.xml", "basic/success.yaml"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: cannot write the JUnit report to file/junit.xml: \(dir.url.path)/file is a file, not a directory\n", "\(bad.stderr)")
        #expect(bad.stdout.isEmpty) // not even the banner: nothing ran
        let nested = try await run(["test", "--sim-runtime", "model", "--junit", "out/a/junit.xml", "--json", "out/b/r.json", "basic/success.yaml"], in: dir)
        #expect(nested.status == 0)
        #expect(try dir.read("out/a/junit.xml").contains("<testsuites") && dir.read("out/b/r.json").contains("\"schemaVersion\": 1"))
    }

    // MARK: 10. Small things

    @Test func portsCommandsAndErrorsAreChecked() async throws {
        let dir = try Scratch()
        let port = try await run(["serve", "--port", "99999"], in: dir)
        #expect(port.status == 2 && port.stderr.hasPrefix("error: --port 99999 is not a TCP port"))
        let help = try await run(["help", "nonexist"], in: dir)
        #expect(help.status == 2 && help.stderr == "error: unknown command 'nonexist'; the commands are test, validate, list, serve, replay, version\n")
        #expect(try await run(["help", "test"], in: dir).status == 0)
        for r in [port, help, try await run(["frobnicate"], in: dir), try await run(["validate", "--tests", "none/*.yaml"], in: dir)] {
            #expect(r.stderr.hasPrefix("error: "), "\(r.stderr)")
        }
    }

    // MARK: 13. Completions

    @Test func completionsOfferFilesAndTheConfigsContexts() async throws {
        let dir = try Scratch()
        let script = try await run(["--generate-completion-script", "bash"], in: dir)
        #expect(script.status == 0)
        for line in ["'--tests')\n        __testsuite_add_completions -o plusdirs -fX '!*.@(yaml|yml)'",
                     "'--config')\n        __testsuite_add_completions -o plusdirs -fX '!*.@(yaml|yml)'",
                     "'--junit')\n        __testsuite_add_completions -o plusdirs -fX '!*.@(xml)'",
                     "'--json')\n        __testsuite_add_completions -o plusdirs -fX '!*.@(json)'",
                     "'--context'|'-c')\n        __testsuite_add_completions -W \"$(__testsuite_custom_complete ---completion test -- --context"] {
            #expect(script.stdout.contains(line), "\(line)")
        }
        // What the script asks the binary for --context: the contexts of the --config on the line.
        let config = CLITests.root.appendingPathComponent("config/auth-example.yaml").path
        let words = ["testsuite", "test", "--config", config, "--context"]
        let contexts = try await run(["---completion", "test", "--", "--context", "5", "0"] + words + [""], in: dir)
        #expect(contexts.stdout == "basic\nexec\ntoken-from-env\n", "\(contexts.stdout)\(contexts.stderr)")
        let prefixed = try await run(["---completion", "test", "--", "--context", "5", "1"] + words + ["e"], in: dir)
        #expect(prefixed.stdout == "exec\n", "\(prefixed.stdout)\(prefixed.stderr)")
    }

    // MARK: 12. Node-scoped actions and mutations

    @Test func validateListAndTestSayTheSameAboutNodeActions() async throws {
        let dir = try Scratch()
        try dir.write("node.yaml", """
            name: on-node
            \(Self.passing)
            cancelOnNode:
              request: {executor: local-cluster}
              nodePoolTag: node-ops
            retryPolicies:
              - name: bump
                retryLimit: 1
                defaultAction: Fail
                rules:
                  - action: Retry
                    onConditions: [OOMKilled]
                    mutate: {resources: {memory: {factor: 2}}, affinity: {avoidSameNode: true}}
            """)
        let reason = "cancelOnNode needs the gRPC transport (Armada's REST gateway does not serve node operations)"
        let validate = try await run(["validate", "node.yaml"], in: dir)
        #expect(validate.status == 0 && !validate.stdout.contains("warning"), "\(validate.stdout)")
        let list = try await run(["list", "node.yaml"], in: dir)
        #expect(list.stdout.contains("  note: gRPC only (the REST gateway does not serve node operations)"))
        #expect(list.stdout.contains("Retry on conditions OOMKilled (mutate: memory ×2, avoid same node)"), "\(list.stdout)")
        let rest = try await run(["test", "--sim-runtime", "model", "--transport", "rest", "node.yaml"], in: dir)
        #expect(rest.status == 2 && rest.stdout.contains("ERROR on-node") && rest.stdout.contains(reason))
        // Over gRPC (the default) it runs: the job is on another node, so the node action leaves it alone.
        let grpc = try await run(["test", "--sim-runtime", "model", "node.yaml"], in: dir)
        #expect(grpc.status == 0 && grpc.stdout.contains("PASS on-node"), "\(grpc.stdout)")
        // A pool no node has: the test is an error that says so.
        try dir.write("pool.yaml", "name: no-pool\n\(Self.passing)\ncancelOnNode: {nodePoolTag: gpu-pool}\n")
        let pool = try await run(["test", "--sim-runtime", "model", "pool.yaml"], in: dir)
        #expect(pool.status == 2 && pool.stdout.contains("no node found with label armadaproject.io/node-pool=gpu-pool"), "\(pool.stdout)")
    }

    // MARK: 13. The README's CI example runs as written

    @Test(.timeLimit(.minutes(3))) func theReadmesCIExampleRunsAsWritten() async throws {
        let readme = try String(contentsOf: CLITests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## In CI\n").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let command = block.split(separator: "\n").filter { !$0.hasPrefix("make ") && !$0.hasPrefix("#") }
            .joined(separator: "\n").replacingOccurrences(of: "\\\n", with: " ")
        #expect(command.hasPrefix("testsuite test "), "\(command)")
        let dir = try Scratch()
        // `testsuite` on PATH, as `make install` leaves it.
        let binary = try CLITests.binary().deletingLastPathComponent().path
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARMADA_") }
        env["PATH"] = binary + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["HOME"] = dir.url.path
        let r = try await ProcessOutput.run(URL(fileURLWithPath: "/bin/bash"), ["-c", command], in: dir.url, environment: env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(try dir.read("build/junit.xml").contains("failures=\"0\" errors=\"0\""))
        #expect(try dir.read("build/e2e.json").contains("\"schemaVersion\": 1"))
        #expect(try dir.read("build/e2e.html").contains("<div class=\"job\""))
    }
}
