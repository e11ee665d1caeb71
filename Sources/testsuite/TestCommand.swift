import ArgumentParser
import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Reporting
import Runner
import TestSpec

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run test cases against Armada, or against the embedded simulator when no target is configured.",
        discussion: """
            Exits 0 when every test passed, 1 when any failed or timed out, 2 on usage, configuration or \
            infrastructure errors, 130 when interrupted (SIGINT/SIGTERM: running tests stop and clean up; a second \
            signal exits at once and lists what is left behind).
            """
    )

    @OptionGroup var selection: TestSelection
    @OptionGroup var filtering: TestFiltering

    @Option(name: .customLong("grpc-url"), help: ArgumentHelp(
        "Armada gRPC API to test (e.g. localhost:50051; plaintext on loopback, TLS elsewhere; http:// or https:// to choose).",
        valueName: "address"))
    var grpcURL: String?

    @Option(name: .customLong("rest-url"), help: "Armada REST gateway to test (e.g. http://localhost:8081).")
    var restURL: String?

    @Option(help: ArgumentHelp("Which of Armada's APIs to use when both are known: grpc (default) or rest.", valueName: "grpc|rest"))
    var transport: ArmadaTransport?

    @Option(name: .customLong("grpc-ca-cert"), help: ArgumentHelp("PEM file of the CAs to trust for gRPC over TLS (default: the system's).",
                                                                  valueName: "file"), completion: .file(extensions: ["pem", "crt"]))
    var grpcCACert: String?

    @Option(name: [.customLong("context"), .customShort("c")], help: "armadactl context to use.",
            completion: .custom(ConfigCompletion.contexts))
    var context: String?

    @Option(help: ArgumentHelp("armadactl-format config file (see config/localdev.yaml).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(name: .customLong("node"), help: ArgumentHelp(
        "The node a node action (cancelOnNode, preemptOnNode) of a pool targets, as POOL=NODE (repeatable; default: kubectl get nodes "
            + "-l armadaproject.io/node-pool=POOL, or the embedded simulator's fleet).", valueName: "pool=node"))
    var nodeFlags: [String] = []

    @Flag(help: "Run on the embedded simulator even when a target is configured.")
    var embedded = false

    @Option(name: .customLong("sim-runtime"), help: "Embedded simulator runtime: process (run the commands here) or model.")
    var simRuntime: Serve.RuntimeKind = .process

    @Flag(help: "Embedded simulator, as root without user namespaces: run pods as host root instead of refusing.")
    var allowHostRoot = false

    @Option(name: .customLong("sim-time-scale"), help: ArgumentHelp(
        "Embedded simulator: real seconds per simulated second of its own waits (scheduling, lease and step times, the "
            + "90 s image-pull grace); default 0.01. Pods' commands on the process runtime always take real time. 1 gives "
            + "Armada's real timings.", valueName: "x"))
    var simTimeScale: Double?

    @Option(help: "Multiply every test's timeout by this factor.")
    var timeoutScale = 1.0

    @Option(help: ArgumentHelp("Tests to run at once; results are reported in discovery order.", valueName: "n"))
    var parallel = 8

    @Option(name: .customLong("policy-settle"), help: ArgumentHelp(
        "Wait this long after creating retry policies on a real target, for the scheduler's cache (default: the "
            + "context's policySettle, else 5s; 0 on the simulator).", valueName: "duration"))
    var policySettle: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report here (parent directories are created).", valueName: "file"),
            completion: .file(extensions: ["xml"]))
    var junit: String?

    @Option(help: ArgumentHelp("Write a JSON report (statuses, event timelines, latency percentiles) here.", valueName: "file"),
            completion: .file(extensions: ["json"]))
    var json: String?

    @Option(help: ArgumentHelp("Write an HTML report here: one self-contained page (summary, verdicts, a run-by-run timeline "
        + "per job, latencies, logs) to open offline in a browser.", valueName: "file"),
            completion: .file(extensions: ["html"]))
    var html: String?

    @Option(name: .customLong("prometheus-pushgateway-url"), help: ArgumentHelp("Push test metrics to this Prometheus Pushgateway.", valueName: "url"))
    var pushgatewayURL: String?

    @Option(name: .customLong("prometheus-job-name"), help: "Pushgateway job name.")
    var pushgatewayJob = "armada-testsuite"

    @Flag(name: .customLong("no-color"), help: "No colour (also off when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @Flag(name: .customLong("fail-fast"), help: ArgumentHelp("Stop at the first test that does not pass: running tests are interrupted and "
        + "cleaned up, the rest reported as not run (skipped)."))
    var failFast = false

    @Option(help: ArgumentHelp("Run a test that fails, times out or errs again, with a fresh job set, up to N times (0-10); "
        + "one that then passes is reported flaky, not passed.", valueName: "n"))
    var retries = 0

    @Flag(name: .customLong("fail-on-flaky"), help: "Exit 1 when a test was flaky (by default flaky tests do not fail the run).")
    var failOnFlaky = false

    @Option(help: ArgumentHelp("Record every event each test receives in DIR (one ndjson tape per job set, also when a test fails "
        + "or the run is interrupted); `testsuite replay DIR` replays them offline.", valueName: "dir"), completion: .directory)
    var record: String?

    @Flag(name: .customLong("keep-on-failure"), help: ArgumentHelp("Leave what a failed, timed-out or erroring test created (queues, retry "
        + "policies, its job set and jobs) on the target for debugging; the summary lists it."))
    var keepOnFailure = false

    @Flag(name: .shortAndLong, help: ArgumentHelp("Show every API call (method, path, status, time) on standard error; -vv also "
        + "the request and answer bodies (the first 4 KiB of each; credentials masked)."))
    var verbose: Int

    @Flag(help: "Show failures and the summary only.")
    var quiet = false

    @OptionGroup(visibility: .private) var upstream: UpstreamFlags

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard (0...10).contains(retries) else { throw ValidationError("--retries \(retries): give a number of retries from 0 to 10") }
        _ = try namedNodes()
        guard timeoutScale > 0 else { throw ValidationError("--timeout-scale must be greater than 0") }
        if let problem = ArmadaRESTClient.streamBufferProblem(ProcessInfo.processInfo.environment["ARMADA_STREAM_BUFFER"]) {
            throw ValidationError(problem)
        }
        if let simTimeScale, !(simTimeScale.isFinite && simTimeScale >= 0 && simTimeScale <= 1000) {
            throw ValidationError("--sim-time-scale \(simTimeScale) is not a scale: give a number from 0 to 1000 (1 = real timings)")
        }
        if let pushgatewayURL = pushgateway, URL(string: pushgatewayURL)?.host == nil {
            throw ValidationError("--prometheus-pushgateway-url \"\(pushgatewayURL)\" is not a URL (e.g. http://localhost:9091)")
        }
        try upstream.validate(grpcURL: grpcURL, pushgatewayURL: pushgatewayURL, pushgatewayJob: pushgatewayJob)
    }

    /// The banner's account of the time scale: what runs faster, and what does not.
    static func timeScaleText(_ scale: Double, runtime: Serve.RuntimeKind) -> String {
        let pods = runtime == .process ? "pods' commands take real time" : "modelled pod durations scale too"
        guard scale != 1 else { return "time scale 1 (Armada's real timings)" }
        let factor = scale > 0 ? " (\(JSONValue.numberText((1 / scale * 10).rounded() / 10))× faster)" : " (no waiting)"
        return "time scale \(JSONValue.numberText(scale)): the simulator's own waits (scheduling, lease and step times, the "
            + "90 s image-pull grace) run scaled\(factor), \(pods); --sim-time-scale 1 for real timings"
    }

    /// `-v`/`-vv`: API calls to standard error.
    var callLog: CallLog? {
        CallLog.level(verbosity: verbose).map { level in CallLog(level: level) { line in printError(line + "\n") } }
    }

    /// The Pushgateway, by this tool's spelling or upstream's.
    var pushgateway: String? { pushgatewayURL ?? upstream.pushgatewayURL }
    var pushJob: String { upstream.pushgatewayJob ?? pushgatewayJob }

    func run() async throws {
        let results = try await selection.load()
        // Every load warning `validate` prints, before anything runs.
        let warnings = results.filter(\.isValid).flatMap(\.warnings)
        if !warnings.isEmpty { printError(warnings.map { $0.description + "\n" }.joined()) }
        let invalid = results.filter { !$0.isValid }
        guard invalid.isEmpty else {
            printError(ValidationReport(results: invalid).render(showWarnings: false))
            throw CLIExit.usage
        }
        let discovered = results.compactMap(\.testCase)
        let clashes = NameClash.find(discovered)
        guard clashes.isEmpty else { throw UsageError(message: clashes.joined(separator: "\nerror: ")) }
        let tests = try filtering.apply(discovered) { printOut($0) }
        let problems = reports(defaults: .init()).prepare()
        guard problems.isEmpty else { throw UsageError(message: problems.joined(separator: "\nerror: ")) }
        let resolution: TargetResolution
        let settle: Duration?
        do {
            resolution = embedded ? .noTarget : try TargetResolver().resolve(.init(
                restURL: restURL, grpcURL: grpcURL ?? upstream.armadaURL, transport: transport, grpcCACert: grpcCACert, context: context,
                configPath: config))
            settle = try policySettle.map { try GoDuration(parsing: $0).duration }
        } catch {
            throw UsageError(message: "\(error)")
        }
        var settings = TestCaseRunner.Settings(timeoutScale: timeoutScale)
        settings.keepOnFailure = keepOnFailure
        if let record {
            do {
                try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true)
            } catch {
                throw UsageError(message: "--record \(record): cannot create the directory: \(error.localizedDescription)")
            }
            guard FileManager.default.isWritableFile(atPath: record) else { throw UsageError(message: "--record \(record): the directory is not writable") }
            settings.recordDirectory = record
        }
        switch resolution {
        case .target(let target):
            if simTimeScale != nil {
                throw UsageError(message: "--sim-time-scale applies to the embedded simulator, but the run targets \(target.label) "
                    + "(\(target.source)); drop it, or add --embedded")
            }
            for warning in target.warnings { printError("warning: \(warning)\n") }
            let label = target.label
            printOut("target: \(label) (\(target.transport); \(target.source); credentials: \(target.credentials.summary))")
            settings.recordTarget = label
            settings.policySettle = settle ?? target.policySettle ?? .seconds(5)
            do {
                settings.ingressProbe = try IngressProbe.Settings.fromEnvironment(ProcessInfo.processInfo.environment)
            } catch {
                throw UsageError(message: "\(error)")
            }
            let runSettings = settings
            let labels = PrometheusReport.Labels(environment: target.contextName ?? target.host, target: label)
            do {
                // An OpenID sign-in (device code, browser) happens here, before any call has a deadline.
                try await InterruptMonitor.shared.unlessInterrupted { try await target.credentials.prepare() }
            } catch {
                throw UsageError(message: "cannot sign in to \(label): \(error)")
            }
            try await target.withClient(callLog: callLog) { client in
                do {
                    // A signal while the target is asked cancels the call; the run then reports every test as not run.
                    _ = try await InterruptMonitor.shared.unlessInterrupted { try await client.health() }
                } catch {
                    throw UsageError(message: "\(label) is not healthy: \(error)")
                }
                try await execute(tests, client: client, settings: runSettings, target: label, labels: labels, embedded: false,
                                  nodes: NamedNodes(try namedNodes(), fallback: KubectlNodes(warn: { printOut($0) })))
            }
        case .noTarget:
            let (runtime, description) = try simRuntime.make(unpullableImages: SimConfig().unpullableImagePattern, allowHostRoot: allowHostRoot)
            var simConfig = SimConfig()
            simConfig.timings.timeScale = simTimeScale ?? SimConfig.Timings.embeddedTimeScale
            let simulator = Simulator(config: simConfig, runtime: runtime)
            let timeScale = Self.timeScaleText(simConfig.timings.timeScale, runtime: simRuntime)
            settings.policySettle = settle ?? .zero
            settings.recordTarget = "embedded simulator (\(simRuntime.rawValue) runtime)"
            let baseSettings = settings
            let why = embedded ? "--embedded given (a configured target, if any, is not used)"
                : "No Armada target configured (no --grpc-url, --rest-url, --context or --config; ARMADA_GRPC_URL, ARMADA_REST_URL, "
                    + "ARMADA_CONTEXT and ARMADA_CONFIG unset; no ~/.armadactl.yaml)"
            let transport = try self.transport ?? TransportChoice.fromEnvironment() ?? .grpc
            try await SimServer.withFrontDoors(simulator) { ports in
                let grpcAddress = "127.0.0.1:\(ports.grpc ?? 0)", restAddress = "http://127.0.0.1:\(ports.rest)"
                printOut("\(why): running on the embedded simulator, runtime \(description), over \(transport) "
                    + "(gRPC \(grpcAddress), REST \(restAddress)), \(timeScale).")
                if keepOnFailure {
                    printOut("--keep-on-failure: what failed tests keep stays only until this run ends, with the embedded simulator; "
                        + "to look at it afterwards, start `testsuite serve` and test against it with --rest-url.")
                }
                if !embedded {
                    printOut("To test a real cluster pass --grpc-url localhost:50051 or --rest-url http://localhost:8081 (the goreman "
                        + "dev stack), --context or --config.")
                }
                let target = "embedded simulator (\(simRuntime.rawValue) runtime)"
                // Ingress hosts are reached through the simulator's own ingress controller.
                var simSettings = baseSettings
                simSettings.ingressProbe = IngressProbe.Settings(baseURL: URL(string: "http://127.0.0.1:\(ports.ingress)"))
                let runLog = SimulatorRunLog(simulator: simulator)
                let nodes = NamedNodes(try namedNodes(), fallback: SimulatorNodes(nodes: await simulator.config.nodes))
                let run = { (client: any ArmadaAPIClient) in
                    try await execute(tests, client: client, settings: simSettings, target: target,
                                      labels: .init(environment: "embedded", target: target), embedded: true, runLog: runLog, nodes: nodes)
                }
                // The simulator has no queue cache: "queue not found" is final at once.
                switch transport {
                case .rest:
                    var client = ArmadaRESTClient(baseURL: URL(string: restAddress)!,
                                                  transport: callLog.map { LoggingTransport(RoutingTransport(), log: $0) } ?? RoutingTransport())
                    client.queueCacheLag = false
                    try await run(client)
                case .grpc:
                    try await ArmadaGRPCClient.withClient(GRPCEndpoint(host: "127.0.0.1", port: ports.grpc ?? 0, tls: false), callLog: callLog) { grpc in
                        var client = grpc
                        client.queueCacheLag = false
                        try await run(client)
                    }
                }
            }
        }
    }

    /// `--node pool=name` flags as a map (a usage error for a malformed one or a pool given twice).
    func namedNodes() throws -> [String: String] {
        var nodes: [String: String] = [:]
        for flag in nodeFlags {
            let parts = flag.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--node \(flag): write POOL=NODE, e.g. --node node-ops=worker-3")
            }
            guard nodes[parts[0]] == nil else { throw ValidationError("--node: pool \(parts[0]) is given twice") }
            nodes[parts[0]] = parts[1]
        }
        return nodes
    }

    func reports(defaults: PrometheusReport.Labels) -> RunReports {
        RunReports(junitPath: junit, jsonPath: json, htmlPath: html, pushgateway: pushgateway.flatMap(URL.init(string:)), pushgatewayJob: pushJob,
                   defaultLabels: defaults, userAgent: "armada-testsuite/\(TestsuiteVersion.current)")
    }

    func execute(_ tests: [TestCase], client: any ArmadaAPIClient, settings: TestCaseRunner.Settings, target: String,
                 labels: PrometheusReport.Labels, embedded: Bool, runLog: (any RunLogSource)? = nil, nodes: (any NodeResolver)? = nil) async throws {
        let tty = isatty(STDOUT_FILENO) != 0
        let style = ConsoleStyle.detect(isTTY: tty, environment: ProcessInfo.processInfo.environment, noColorFlag: noColor)
        let console = ConsoleReporter(options: .init(style: style, liveStatus: tty, quiet: quiet), total: tests.count)
        let ledger = CleanupLedger()
        let book = RunBook(forwardingTo: console)
        let monitor = InterruptMonitor.shared
        let started = Date()
        let clock = ContinuousClock()
        let begin = clock.now
        let reports = reports(defaults: labels)
        let title = selection.title
        let shard = (try? filtering.filter().shard?.description) ?? ""
        let runInfo = { @Sendable (elapsed: Duration) in
            RunReports.Run(name: title, target: target, transport: client.transportKind.description, started: started, elapsed: elapsed,
                           version: TestsuiteVersion.current, shard: shard)
        }
        monitor.onSecondSignal { _ in
            // The embedded simulator's pods must not outlive the process.
            if embedded { ProcessRuntime.killAllPods() }
            printError("\n" + ledger.secondInterruptNotice(embedded: embedded) + "\n")
            // The reports still list every test: finished, interrupted (with what it leaves), not run.
            let results = book.snapshot(tests, ledger: ledger, embedded: embedded)
            for problem in reports.writeFiles(results, run: runInfo(clock.now - begin)) {
                printError("error: \(problem)\n")
            }
            Foundation.exit(130)
        }
        let suite = SuiteRunner(runner: TestCaseRunner(client: client, settings: settings, ledger: ledger, runLog: runLog, nodes: nodes), parallel: parallel,
                                observer: book, failFast: failFast, retries: retries)
        let run = await suite.run(tests, until: monitor, onInterrupt: {
            console.note("interrupted: stopping the running tests and cleaning up (interrupt again to exit at once)")
        }, alongside: {
            guard tty else { return }
            while (try? await Task.sleep(for: .milliseconds(250))) != nil { console.tick() }
        })
        console.finish()
        let elapsed = clock.now - begin
        printOut(RunSummary(results: run.results, elapsed: elapsed, style: style).render())
        let problems = await reports.write(run.results, run: runInfo(elapsed))
        for problem in problems { printError("error: \(problem)\n") }
        if let warning = ledger.leftBehindWarning(embedded: embedded) { printError("warning: \(warning)\n") }
        // A signal after the last test ended is honoured too.
        if run.interrupted || monitor.interrupted { throw CLIExit.interrupted }
        if !problems.isEmpty || run.results.contains(where: { $0.status == .error }) { throw CLIExit.usage }
        if run.results.contains(where: { $0.failsRun(failOnFlaky: failOnFlaky) }) { throw CLIExit.failed }
    }
}
