import ArgumentParser

/// Upstream Armada testsuite's flag spellings, accepted as hidden aliases of this tool's, or
/// refused with the spelling to use instead. `--config` and `--context`/`-c` before the command
/// name (upstream's global position) are moved after it by `Main`.
struct UpstreamFlags: ParsableArguments {
    @Option(name: .customLong("prometheusPushgatewayUrl"), help: .private)
    var pushgatewayURL: String?

    @Option(name: .customLong("prometheusPushgatewayJobName"), help: .private)
    var pushgatewayJob: String?

    @Option(name: .customLong("armadaUrl"), help: .private)
    var armadaURL: String?

    @Option(name: .customLong("benchmark"), help: .private)
    var benchmark: String?

    /// Flags every command accepts in upstream's global position: name and whether it takes a value.
    static let global: [(name: String, takesValue: Bool)] = [("--config", true), ("--context", true), ("-c", true), ("--armadaUrl", true)]

    func validate(restURL: String?, pushgatewayURL: String?, pushgatewayJob: String) throws {
        if let armadaURL {
            throw ValidationError("--armadaUrl \(armadaURL) names Armada's gRPC API, which this runner does not speak yet: "
                + "pass the REST gateway with --rest-url (the goreman dev stack serves it at http://localhost:8081)")
        }
        if self.pushgatewayURL != nil, pushgatewayURL != nil {
            throw ValidationError("--prometheusPushgatewayUrl is upstream's spelling of --prometheus-pushgateway-url: give only one")
        }
        if self.pushgatewayJob != nil, pushgatewayJob != "armada-testsuite" {
            throw ValidationError("--prometheusPushgatewayJobName is upstream's spelling of --prometheus-job-name: give only one")
        }
        if benchmark != nil {
            throw ValidationError("--benchmark is upstream's (unimplemented) benchmark report: use --json FILE, whose "
                + "benchmark section has the latency percentiles")
        }
    }
}
