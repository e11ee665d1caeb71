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

    func validate(grpcURL: String?, pushgatewayURL: String?, pushgatewayJob: String) throws {
        if armadaURL != nil, grpcURL != nil {
            throw ValidationError("--armadaUrl is upstream's spelling of --grpc-url: give only one")
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
