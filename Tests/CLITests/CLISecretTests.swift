import Foundation
import TestFixtures
import Testing

/// No credential reaches the console, an error or a report, on every path that leaked one; no
/// control character from a test case reaches the terminal.
@Suite struct CLISecretTests {
    func run(_ arguments: [String], in dir: CLIVerdictTests.Scratch) async throws -> ProcessOutput {
        try await CLIVerdictTests().run(arguments, in: dir)
    }

    @Test func credentialsInURLsAndConfigsNeverAppear() async throws {
        let dir = try CLIVerdictTests.Scratch()
        // An unreachable --rest-url with user information.
        let target = try await run(["test", "--rest-url", "http://alice:hunter2-secret@127.0.0.1:9", "basic/success.yaml"], in: dir)
        #expect(target.status == 2 && target.stderr.contains("http://[REDACTED]@127.0.0.1:9"), "\(target.stderr)")
        // An unreachable Pushgateway with user information, and the reports written meanwhile.
        let push = try await run(["test", "--sim-runtime", "model", "--prometheus-pushgateway-url", "http://bob:push-secret-9@127.0.0.1:9",
                            "--junit", "j.xml", "--json", "r.json", "basic/success.yaml"], in: dir)
        #expect(push.status == 2 && push.stderr.contains("cannot push metrics to http://[REDACTED]@127.0.0.1:9: connection refused"))
        // A simulator config whose YAML error would quote the password's line.
        let sim = try dir.write("sim.yaml", "auth:\n  users:\n    alice: {password: sim-secret-pw, groups: [x]\n")
        let serve = try await run(["serve", "--config", sim], in: dir)
        #expect(serve.status == 2 && serve.stderr.contains("sim.yaml:4:1: not valid YAML"), "\(serve.stderr)")
        // A config's password echoed by a failing target.
        let config = try dir.write("armada.yaml", """
            currentContext: a
            contexts:
              a: {armadaRestUrl: "http://127.0.0.1:9", basicAuth: {username: carol, password: config-secret-pw}}
            """)
        let configured = try await run(["test", "--config", config, "basic/success.yaml"], in: dir)
        #expect(configured.status == 2)
        let everything = [target, push, serve, configured].map { $0.stdout + $0.stderr }.joined()
            + (try dir.read("j.xml")) + (try dir.read("r.json"))
        for secret in ["hunter2-secret", "push-secret-9", "sim-secret-pw", "config-secret-pw",
                       Data("alice:hunter2-secret".utf8).base64EncodedString(), "hunter2%2Dsecret"] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }

    @Test func escapeCodesInTestCasesAreShownNotSent() async throws {
        let dir = try CLIVerdictTests.Scratch()
        try dir.write("evil.yaml", "name: \"evil\\e]0;pwned\\a\\e[2J\"\n\(CLIVerdictTests.passing)\n")
        let list = try await run(["list", "evil.yaml"], in: dir)
        let test = try await run(["test", "--sim-runtime", "model", "evil.yaml"], in: dir)
        #expect(list.status == 0 && test.status == 0, "\(list.stderr)\(test.stdout)\(test.stderr)")
        for out in [list.stdout, test.stdout] {
            #expect(out.contains(#"evil\x1b]0;pwned\x07\x1b[2J"#), "\(out)")
            #expect(!out.contains("\u{1B}") && !out.contains("\u{07}"))
        }
    }
}
