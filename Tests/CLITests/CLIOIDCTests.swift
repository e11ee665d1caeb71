import Foundation
import TestFixtures
import Testing

/// A CI pipeline against a cluster that authenticates with OpenID Connect, end to end: a real
/// provider (glewlwyd), `testsuite serve` accepting its tokens only, and `testsuite test` signing in
/// with the client-credentials and password grants from an armadactl config. Nothing secret — the
/// client secret, the password, any token — reaches the console or a report.
@Suite(.timeLimit(.minutes(3))) struct CLIOIDCTests {
    @Test func aPipelineSignsInWithOIDCAndNothingSecretIsPrinted() async throws {
        try #require(OIDCProviderProcess.isInstalled, "\(OIDCProviderProcess.missing)")
        let provider = try await OIDCProviderProcess.start()
        defer { provider.stop() }
        let info = provider.info
        let dir = try CLIVerdictTests.Scratch()
        let sim = try dir.write("sim.yaml", """
            auth:
              anonymous: false
              openIdAuth: {providerUrl: "\(info.issuer)", clientId: armada}
            """)
        let serve = try RunningCLI(["serve", "--port", "0", "--grpc-port", "0", "--sim-runtime", "model", "--config", sim], in: dir.url)
        defer { serve.stop() }
        #expect(await serve.waitForOutput("or over gRPC: --grpc-url "), "\(serve.stdout)\(serve.stderr)")
        let lines = serve.stdout.split(separator: "\n")
        let grpc = try #require(lines.first { $0.hasPrefix("or over gRPC: --grpc-url ") }).dropFirst("or over gRPC: --grpc-url ".count)
        let rest = try #require(lines.first { $0.hasPrefix("target it with: --rest-url ") }).dropFirst("target it with: --rest-url ".count)
        let config = try dir.write("armada.yaml", """
            currentContext: ci
            contexts:
              ci:
                armadaUrl: "\(grpc)"
                forceNoTls: true
                openIdClientCredentialsAuth: {providerUrl: "\(info.issuer)", clientId: \(info.clientId), clientSecret: "\(info.clientSecret)", scopes: [armada]}
              person:
                armadaRestUrl: "\(rest)"
                openIdPasswordAuth:
                  providerUrl: "\(info.issuer)"
                  clientId: \(info.clientId)
                  clientSecret: "\(info.clientSecret)"
                  username: \(info.username)
                  password: "\(info.password)"
                  scopes: [armada]
              wrong:
                armadaUrl: "\(grpc)"
                forceNoTls: true
                openIdClientCredentialsAuth: {providerUrl: "\(info.issuer)", clientId: \(info.clientId), clientSecret: not-the-secret-42, scopes: [armada]}
            """)
        let overGRPC = try await CLIVerdictTests().run(["test", "--config", config, "--policy-settle", "0s", "--junit", "ci.xml",
                                                         "--json", "ci.json", "--tests", "testcases/retries/retry_limit_exceeded.yaml",
                                                         "--tests", "testcases/basic/success.yaml"], in: dir)
        #expect(overGRPC.status == 0, "\(overGRPC.stdout)\(overGRPC.stderr)")
        #expect(overGRPC.stdout.contains("credentials: OpenID Connect client credentials, client \(info.clientId) at \(info.issuer)"))
        #expect(overGRPC.stdout.contains("2 passed, 0 failed"), "\(overGRPC.stdout)")
        let overREST = try await CLIVerdictTests().run(["test", "--config", config, "--context", "person", "--policy-settle", "0s",
                                                         "--junit", "person.xml", "--tests", "testcases/basic/success.yaml"], in: dir)
        #expect(overREST.status == 0 && overREST.stdout.contains("OpenID Connect password (user \(info.username))"), "\(overREST.stdout)\(overREST.stderr)")
        // A refused sign-in is a configuration/infrastructure error (exit 2) that says who refused.
        let refused = try await CLIVerdictTests().run(["test", "--config", config, "--context", "wrong", "--tests", "testcases/basic/success.yaml"], in: dir)
        #expect(refused.status == 2 && refused.stderr.contains("the provider refused the client credentials grant"), "\(refused.stderr)")
        // Without credentials the simulator refuses the calls: a token is really checked.
        let anonymous = try await CLIVerdictTests().run(["test", "--grpc-url", String(grpc), "--policy-settle", "0s",
                                                          "--tests", "testcases/basic/success.yaml"], in: dir)
        #expect(anonymous.status != 0 && anonymous.stdout.contains("Unauthenticated"), "\(anonymous.stdout)")
        let everything = [overGRPC, overREST, refused, anonymous].map { $0.stdout + $0.stderr }.joined()
            + (try dir.read("ci.xml")) + (try dir.read("ci.json")) + (try dir.read("person.xml")) + serve.stdout + serve.stderr
        for secret in [info.clientSecret, info.password, "not-the-secret-42", "eyJ"] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }
}
