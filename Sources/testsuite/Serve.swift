import ArgumentParser
import ArmadaSim
import Runner
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded Armada simulator as a standalone server: the REST gateway and the gRPC API.",
        discussion: "Pre-creates the e2e environment: queues e2e-test-queue and e2e-retry-queue (with policy "
            + "e2e-retry-policy), namespaces default and personal-anonymous, retry engine on with globalMaxRetries 5."
    )

    @Option(help: "Address to bind. Anything but loopback exposes the simulator to the network.")
    var host = "127.0.0.1"

    @Option(help: "REST gateway port (0 picks a free one).")
    var port = 8081

    @Option(name: .customLong("grpc-port"), help: ArgumentHelp(
        "gRPC API port (0 picks a free one; default 50051, or a free one when --port is 0).", valueName: "port"))
    var grpcPort: Int?

    @Option(name: .customLong("grpc-tls-cert"), help: ArgumentHelp("Serve gRPC over TLS with this PEM certificate chain (with --grpc-tls-key).",
                                                                    valueName: "file"), completion: .file(extensions: ["pem", "crt"]))
    var grpcTLSCert: String?

    @Option(name: .customLong("grpc-tls-key"), help: ArgumentHelp("The PEM private key of --grpc-tls-cert.", valueName: "file"),
            completion: .file(extensions: ["pem", "key"]))
    var grpcTLSKey: String?

    @Option(help: "Multiply every simulated step time by this factor (0.1 runs ten times faster).")
    var timeScale: Double?

    @Option(help: ArgumentHelp("Simulator config (fleet, timings, queues, policies, categorizer, faults, auth).", valueName: "sim.yaml"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(name: .customLong("sim-runtime"), help: "How runs are decided: process (run the commands on this host) or model (interpret the pod spec).")
    var runtime: RuntimeKind = .process

    @Flag(help: "Allow the process runtime while listening on a non-loopback address (anyone who can reach the port can run commands here).")
    var allowRemoteExec = false

    @Flag(name: .customLong("log-requests"), help: ArgumentHelp("Print a line per request answered, on both front doors "
        + "(method or RPC, path, status, time; never headers or bodies)."))
    var logRequests = false

    @Flag(help: "As root on a host without user namespaces, run pods as host root instead of refusing to start the process runtime.")
    var allowHostRoot = false

    enum RuntimeKind: String, ExpressibleByArgument, CaseIterable {
        case process, model

        /// The runtime, and how to describe it in a banner (the process runtime names what this host
        /// allows); a usage error when the process runtime must not run here.
        func make(unpullableImages: String, allowHostRoot: Bool, images: [ImageRule] = []) throws -> (any PodRuntime, String) {
            switch self {
            case .process:
                let runtime = ProcessRuntime(unpullableImages: unpullableImages, allowHostRoot: allowHostRoot,
                                             images: .withBuiltIn(images))
                if let problem = runtime.startupProblem { throw UsageError(message: problem) }
                return (runtime, "process (\(runtime.capabilities))")
            case .model:
                return (ModelRuntime(unpullableImages: unpullableImages), "model")
            }
        }
    }

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port: use 1-65535, or 0 to pick a free one")
        }
        if let grpcPort, !(0...65535).contains(grpcPort) {
            throw ValidationError("--grpc-port \(grpcPort) is not a TCP port: use 1-65535, or 0 to pick a free one")
        }
        if (grpcTLSCert == nil) != (grpcTLSKey == nil) {
            throw ValidationError("--grpc-tls-cert and --grpc-tls-key go together: give both (a PEM certificate chain and its key) or neither")
        }
        for path in [grpcTLSCert, grpcTLSKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: path) {
            throw ValidationError("cannot read \(path)")
        }
        if let grpcPort, grpcPort == port, port != 0 {
            throw ValidationError("--grpc-port and --port are both \(port): the REST gateway and the gRPC API need a port each")
        }
    }

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
        let address = ListenAddress(host)
        let loopback = address.isLoopback
        if !loopback, runtime == .process, !allowRemoteExec {
            throw UsageError(message: "refusing to run the process runtime on \(host): anyone reaching the port could run commands "
                + "on this machine; use --sim-runtime model, bind 127.0.0.1, or pass --allow-remote-exec")
        }
        if !loopback {
            printError("warning: listening on \(host): the simulator has no TLS and, by default, no authentication\n")
        }
        let (podRuntime, runtimeLine) = try runtime.make(unpullableImages: config.unpullableImagePattern, allowHostRoot: allowHostRoot,
                                                           images: config.images)
        let simulator = Simulator(config: config, runtime: podRuntime, faults: faults)
        let summary = "queues: \(config.queues.compactMap(\.name).joined(separator: ", ")); retry engine: \(config.retryEngineEnabled ? "on" : "off"), "
            + "globalMaxRetries \(config.globalMaxRetries); namespaces: \(config.namespaces.sorted().joined(separator: ", "))"
        let host = self.host
        let port = self.port
        let grpcPort = self.grpcPort ?? (port == 0 ? 0 : 50051)
        // SIGTERM/SIGINT stop the server and every pod with its grace period, remove the run
        // directories and groups, and exit 0; a second signal kills the pods at once (exit 130).
        let monitor = InterruptMonitor.shared
        monitor.onSecondSignal { _ in
            ProcessRuntime.killAllPods()
            printError("second signal: pods killed, exiting now\n")
            Foundation.exit(130)
        }
        let tls = grpcTLSCert.flatMap { cert in grpcTLSKey.map { SimGRPCServer.TLS(certificatePath: cert, keyPath: $0) } }
        let requestLog = logRequests ? RequestLog { line in printOut(line) } : nil
        let signal = try await SimServer.withFrontDoors(simulator, host: host, restPort: port, grpcPort: grpcPort, grpcTLS: tls,
                                                        requestLog: requestLog) { ports in
            let listening = address.isIPv6 ? "[\(host)]" : host
            let grpcBound = ports.grpc ?? grpcPort
            printOut("Armada simulator listening on http://\(listening):\(ports.rest) (REST gateway) and \(listening):\(grpcBound) (gRPC, "
                + (tls == nil ? "plaintext" : "TLS") + "); runtime: \(runtimeLine)\n\(summary)\n"
                + "target it with: --rest-url http://\(address.urlHost):\(ports.rest)\n"
                + "or over gRPC: --grpc-url \(tls == nil ? "" : "https://")\(address.urlHost):\(grpcBound)\n"
                + "ingress hosts answer at http://\(address.urlHost):\(ports.ingress) (set ARMADA_EXECUTOR_INGRESS_URL=http://\(address.urlHost) "
                + "and ARMADA_EXECUTOR_INGRESS_PORT=\(ports.ingress) for the runner)\n", terminator: "")
            return await monitor.firstSignal()
        }
        await simulator.stop()
        if let signal {
            printOut("stopped on \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): every pod ended, nothing left behind")
        }
    }
}
