@testable import ArmadaSim
import Foundation
import Testing

@Suite struct SimConfigFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedSampleLoadsToTheDefaults() throws {
        let (config, faults) = try SimConfigFile.load(path: Self.root.path + "/config/sim.yaml")
        let defaults = SimConfig()
        #expect(config.nodes == defaults.nodes && config.namespaces == defaults.namespaces)
        #expect(config.queues == defaults.queues && config.retryPolicies == defaults.retryPolicies)
        #expect(config.categorizer == defaults.categorizer && config.timings == defaults.timings)
        #expect(config.globalMaxRetries == 5 && faults == SimFaults())
    }

    /// Found by `make fuzz` (configs): a key that is a list or a mapping used to trap in Yams'
    /// constructor; scalars JSON cannot hold (.nan, !!binary, timestamps) are plain values now.
    @Test func keysThatAreNotNamesAreAnErrorWithAPosition() {
        #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse("{[a]: b}\n", path: "k.yaml") }
        do {
            _ = try SimConfigFile.parse("auth:\n  users:\n    ? {a: 1}\n    : {password: x}\n", path: "k.yaml")
            Issue.record("accepted a mapping key")
        } catch {
            #expect(error.description == "k.yaml:3:7: a mapping key must be a plain name, not a list or a mapping", "\(error)")
        }
        #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse("maxRetries: .nan\n", path: "n.yaml") }
    }

    @Test func overridesAndErrors() throws {
        let (config, faults) = try SimConfigFile.parse("""
        retryEngine: {enabled: false, globalMaxRetries: 0}
        timings: {timeScale: 0.1}
        faults: {cutStreamsAfter: 10}
        auth: {anonymous: false, users: {alice: {password: pw, groups: [team]}}, permissions: {submit_any_jobs: [team]}}
        """, path: "s.yaml")
        #expect(!config.retryEngineEnabled && config.globalMaxRetries == 0 && config.timings.timeScale == 0.1)
        #expect(faults.cutStreamsAfter == 10 && !config.auth.anonymousEnabled && config.auth.users["alice"]?.groups == ["team"])
        #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse("nodez: []", path: "s.yaml") }
        #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse("retryPolicies: [{name: Bad_Name, defaultAction: Fail}]", path: "s.yaml") }
        #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse("nodes: [{name: n, memory: lots}]", path: "s.yaml") }
        do {
            _ = try SimConfigFile.parse("timings: {cyclePeriodd: 1}", path: "s.yaml")
        } catch {
            #expect(error.description == "s.yaml: timings: unknown key \"cyclePeriodd\"")
        }
    }
}

@Suite struct ListenAddressTests {
    @Test func loopbackIsAnAddressRangeNotAString() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"] {
            #expect(ListenAddress(host).isLoopback, "\(host)")
        }
        for host in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "example.com", "::2", "localhost.example"] {
            #expect(!ListenAddress(host).isLoopback, "\(host)")
        }
    }

    @Test func ipv6IsBracketedInURLs() {
        #expect(ListenAddress("::1").urlHost == "[::1]")
        #expect(ListenAddress("127.0.0.1").urlHost == "127.0.0.1")
        #expect(ListenAddress("0.0.0.0").urlHost == "127.0.0.1" && ListenAddress("::").urlHost == "[::1]")
        #expect(URL(string: "http://\(ListenAddress("::1").urlHost):8081")?.port == 8081)
    }
}

@Suite struct HostIsolationTests {
    @Test func rootWithoutUserNamespacesRefusesUnlessAllowed() {
        let refused = HostIsolation.decide(root: true, tools: true, userNamespaces: false, allowHostRoot: false)
        #expect(refused.0 == .none && refused.refusal?.contains("pass --allow-host-root") == true)
        #expect(HostIsolation.decide(root: true, tools: true, userNamespaces: false, allowHostRoot: true).0 == .hostRoot)
        #expect(HostIsolation.decide(root: true, tools: true, userNamespaces: true, allowHostRoot: false).0
            == .namespaces(hostUID: HostIsolation.podUID))
        #expect(HostIsolation.decide(root: false, tools: true, userNamespaces: true, allowHostRoot: false).0 == .namespaces(hostUID: nil))
        let plain = HostIsolation.decide(root: false, tools: true, userNamespaces: false, allowHostRoot: false)
        #expect(plain.0 == .none && plain.refusal == nil)
        // What each says in the banner.
        #expect(HostIsolation(sandbox: .hostRoot).summary.hasPrefix("pods NOT sandboxed from host root"))
        #expect(HostIsolation(sandbox: .none).summary.hasPrefix("pods NOT sandboxed (no user namespaces here"))
    }
}
