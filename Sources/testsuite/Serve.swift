import ArgumentParser
import ArmadaSim
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded Armada simulator as a standalone REST gateway.",
        discussion: "Pre-creates the e2e environment: queues e2e-test-queue and e2e-retry-queue (with policy "
            + "e2e-retry-policy), namespaces default and personal-anonymous, retry engine on with globalMaxRetries 5."
    )

    @Option(help: "Address to bind. Anything but loopback exposes the simulator to the network.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8081

    @Option(help: "Multiply every simulated step time by this factor (0.1 runs ten times faster).")
    var timeScale: Double?

    @Option(help: ArgumentHelp("Simulator config (fleet, timings, queues, policies, categorizer, faults, auth).", valueName: "sim.yaml"))
    var config: String?

    func run() async throws {
        var config = SimConfig()
        var faults = SimFaults()
        if let path = self.config {
            do {
                (config, faults) = try SimConfigFile.load(path: path)
            } catch {
                throw UsageError(message: error.description)
            }
        }
        if let timeScale {
            guard timeScale >= 0 else { throw UsageError(message: "--time-scale must not be negative") }
            config.timings.timeScale = timeScale
        }
        if host != "127.0.0.1" && host != "localhost" && host != "::1" {
            FileHandle.standardError.write(Data("warning: listening on \(host): the simulator has no TLS and, by default, no authentication\n".utf8))
        }
        let simulator = Simulator(config: config, faults: faults)
        let runtime = await simulator.runtimeName
        let summary = "queues: \(config.queues.compactMap(\.name).joined(separator: ", ")); retry engine: \(config.retryEngineEnabled ? "on" : "off"), "
            + "globalMaxRetries \(config.globalMaxRetries); namespaces: \(config.namespaces.sorted().joined(separator: ", "))"
        let host = self.host
        try await SimServer.run(simulator, host: host, port: port) { bound in
            let text = "Armada simulator listening on http://\(host):\(bound) (REST gateway; runtime: \(runtime))\n\(summary)\n"
                + "target it with: --rest-url http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(bound)\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
