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

    @Option(name: .customLong("rest-url"), help: "Armada REST gateway to test (e.g. http://localhost:8081).")
    var restURL: String?

    @Option(help: "armadactl context to use.")
    var context: String?

    @Option(help: "armadactl-format config file (see config/localdev.yaml).")
    var config: String?

    @Flag(help: "Run on the embedded simulator even when a target is configured.")
    var embedded = false

    @Option(name: .customLong("sim-runtime"), help: "Embedded simulator runtime: process (run the commands here) or model.")
    var simRuntime: Serve.RuntimeKind = .process

    @Option(help: "Multiply every test's timeout by this factor.")
    var timeoutScale = 1.0

    @Option(help: ArgumentHelp("Tests to run at once; results are reported in discovery order.", valueName: "n"))
    var parallel = 8

    @Option(name: .customLong("policy-settle"), help: ArgumentHelp(
        "Wait this long after creating retry policies on a real target, for the scheduler's cache (default: the "
            + "context's policySettle, else 5s; 0 on the simulator).", valueName: "duration"))
    var policySettle: String?

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a JSON report (statuses, event timelines, latency percentiles) here.", valueName: "file"))
    var json: String?

    @Option(name: .customLong("prometheus-pushgateway-url"), help: ArgumentHelp("Push test metrics to this Prometheus Pushgateway.", valueName: "url"))
    var pushgatewayURL: String?

    @Option(name: .customLong("prometheus-job-name"), help: "Pushgateway job name.")
    var pushgatewayJob = "armada-testsuite"

    @Flag(name: .customLong("no-color"), help: "No colour (also off when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @Flag(help: "Show failures and the summary only.")
    var quiet = false

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard timeoutScale > 0 else { throw ValidationError("--timeout-scale must be greater than 0") }
        if let pushgatewayURL, URL(string: pushgatewayURL)?.host == nil {
            throw ValidationError("--prometheus-pushgateway-url \"\(pushgatewayURL)\" is not a URL (e.g. http://localhost:9091)")
        }
    }

    func run() async throws {
        let results = try await selection.load()
        let invalid = results.filter { !$0.isValid }
        guard invalid.isEmpty else {
            printError(ValidationReport(results: invalid).render(showWarnings: false))
            throw CLIExit.usage
        }
        let tests = results.compactMap(\.testCase)
        let resolution: TargetResolution
        let settle: Duration?
        do {
            resolution = embedded ? .noTarget : try TargetResolver().resolve(.init(restURL: restURL, context: context, configPath: config))
            settle = try policySettle.map { try GoDuration(parsing: $0).duration }
        } catch {
            throw UsageError(message: "\(error)")
        }
        var settings = TestCaseRunner.Settings(timeoutScale: timeoutScale)
        switch resolution {
        case .target(let target):
            let label = Secret.redactingURL(target.restURL)
            printOut("target: \(label) (\(target.source); credentials: \(target.credentials.summary))")
            let client = target.client()
            do {
                try await client.health()
            } catch {
                printError("error: \(error)\n")
                throw CLIExit.usage
            }
            settings.policySettle = settle ?? target.policySettle ?? .seconds(5)
            try await execute(tests, client: client, settings: settings, target: label)
        case .noTarget:
            let (runtime, description) = simRuntime.make(unpullableImages: SimConfig().unpullableImagePattern)
            let simulator = Simulator(config: SimConfig(), runtime: runtime)
            settings.policySettle = settle ?? .zero
            let simSettings = settings
            try await SimServer.withRunning(simulator) { port in
                printOut((embedded ? "--embedded" : "No Armada target configured")
                    + ": running on the embedded simulator at http://127.0.0.1:\(port), runtime \(description).")
                printOut("To test a real cluster pass --rest-url http://localhost:8081 (the goreman dev stack), --context or --config.")
                let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
                try await execute(tests, client: client, settings: simSettings, target: "embedded simulator (\(simRuntime.rawValue) runtime)")
            }
        }
    }

    func execute(_ tests: [TestCase], client: ArmadaRESTClient, settings: TestCaseRunner.Settings, target: String) async throws {
        let tty = isatty(STDOUT_FILENO) != 0
        let style = ConsoleStyle.detect(isTTY: tty, environment: ProcessInfo.processInfo.environment, noColorFlag: noColor)
        let console = ConsoleReporter(options: .init(style: style, liveStatus: tty, quiet: quiet), total: tests.count)
        let ledger = CleanupLedger()
        let monitor = InterruptMonitor { _ in
            let left = ledger.outstanding
            printError("\nsecond interrupt: exiting now" + (left.isEmpty ? ", nothing left behind\n"
                : "; left behind (delete by hand):\n" + left.map { "  " + $0 + "\n" }.joined()))
            Foundation.exit(130)
        }
        let suite = SuiteRunner(runner: TestCaseRunner(client: client, settings: settings, ledger: ledger), parallel: parallel,
                                observer: console)
        let started = Date()
        let clock = ContinuousClock()
        let begin = clock.now
        let run = await suite.run(tests, until: monitor, onInterrupt: {
            console.note("interrupted: stopping the running tests and cleaning up (interrupt again to exit at once)")
        }, alongside: {
            guard tty else { return }
            while (try? await Task.sleep(for: .milliseconds(250))) != nil { console.tick() }
        })
        console.finish()
        let elapsed = clock.now - begin
        printOut(RunSummary(results: run.results, elapsed: elapsed, style: style).render())
        let reports = RunReports(junitPath: junit, jsonPath: json, pushgateway: pushgatewayURL.flatMap(URL.init(string:)),
                                 pushgatewayJob: pushgatewayJob)
        let problems = await reports.write(run.results, run: .init(name: selection.tests, target: target, started: started,
                                                                    elapsed: elapsed, version: TestsuiteVersion.current))
        for problem in problems { printError("error: \(problem)\n") }
        let left = ledger.outstanding
        if !left.isEmpty { printError("warning: could not clean up (delete by hand): " + left.joined(separator: ", ") + "\n") }
        if run.interrupted { throw CLIExit.interrupted }
        if !problems.isEmpty || run.results.contains(where: { $0.status == .error }) { throw CLIExit.usage }
        if run.results.contains(where: { !$0.passed }) { throw CLIExit.failed }
    }
}
