import ArgumentParser
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
        discussion: "Exits 0 when every test passed, 1 when any failed, 2 on usage, configuration or infrastructure errors."
    )

    @OptionGroup var selection: TestSelection

    @Option(name: .customLong("rest-url"), help: "Armada REST gateway to test (e.g. http://localhost:8081).")
    var restURL: String?

    @Option(help: "armadactl context to use.")
    var context: String?

    @Option(help: "armadactl-format config file.")
    var config: String?

    @Flag(help: "Run on the embedded simulator even when a target is configured.")
    var embedded = false

    @Option(name: .customLong("sim-runtime"), help: "Embedded simulator runtime: process (run the commands here) or model.")
    var simRuntime: Serve.RuntimeKind = .process

    @Option(help: "Multiply every test's timeout by this factor.")
    var timeoutScale = 1.0

    @Option(help: ArgumentHelp("Write a JUnit XML report here.", valueName: "file"))
    var junit: String?

    func run() async throws {
        let results = try selection.load()
        let invalid = results.filter { !$0.isValid }
        guard invalid.isEmpty else {
            printError(ValidationReport(results: invalid).render(showWarnings: false))
            throw CLIExit.usage
        }
        let tests = results.compactMap(\.testCase)
        let resolution: TargetResolution
        do {
            resolution = embedded ? .noTarget : try TargetResolver().resolve(.init(restURL: restURL, context: context, configPath: config))
        } catch {
            throw UsageError(message: error.description)
        }
        let settings = TestCaseRunner.Settings(timeoutScale: timeoutScale)
        switch resolution {
        case .target(let target):
            print("target: \(target.restURL.absoluteString) (\(target.source); credentials: \(target.credentials.summary))")
            let client = target.client()
            do {
                try await client.health()
            } catch {
                printError("error: \(error)\n")
                throw CLIExit.usage
            }
            var policySettled = settings
            policySettled.policySettle = .seconds(5)
            try await runAll(tests, TestCaseRunner(client: client, settings: policySettled))
        case .noTarget:
            try await runEmbedded(tests, settings)
        }
    }

    func runEmbedded(_ tests: [TestCase], _ settings: TestCaseRunner.Settings) async throws {
        let (runtime, description) = simRuntime.make(unpullableImages: SimConfig().unpullableImagePattern)
        let simulator = Simulator(config: SimConfig(), runtime: runtime)
        try await SimServer.withRunning(simulator) { port in
            print("No Armada target configured: running on the embedded simulator at http://127.0.0.1:\(port), runtime \(description).")
            print("To test a real cluster pass --rest-url http://localhost:8081 (the goreman dev stack), --context or --config.")
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            try await runAll(tests, TestCaseRunner(client: client, settings: settings))
        }
    }

    func runAll(_ tests: [TestCase], _ runner: TestCaseRunner) async throws {
        var results: [TestResult] = []
        for test in tests {
            print("test case started \(test.name) (\(test.file))")
            let result = await runner.run(test)
            for line in result.log { print("  " + line) }
            results.append(result)
        }
        print(RunSummary(results: results).render())
        if let junit {
            do {
                try JUnitReport(suiteName: selection.tests, results: results).write(to: junit)
            } catch {
                printError("error: cannot write the JUnit report to \(junit): \(error.localizedDescription)\n")
                throw CLIExit.usage
            }
        }
        if results.contains(where: { !$0.passed }) { throw CLIExit.failed }
    }
}
