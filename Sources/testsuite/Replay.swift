import ArgumentParser
import Foundation
import Reporting
import Runner
import TestSpec

/// `testsuite replay`: the verdicts of recorded tapes (`test --record DIR`), offline.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run the expectations on event tapes recorded with `test --record DIR`, without a cluster.",
        discussion: "Each tape names its test-case file (read from the working directory as recorded), so a changed expectation "
            + "can be checked against a recorded run. Exit 0 when every replayed verdict passes, 1 otherwise, 2 for a tape or "
            + "test case that cannot be read."
    )

    @Argument(help: ArgumentHelp("Tape files (.ndjson) or directories of them.", valueName: "path"), completion: .file())
    var paths: [String]

    @Option(help: ArgumentHelp("Write the HTML report of the replayed verdicts here (see `test --html`): the recorded "
        + "runs' timelines, to read a CI failure in a browser.", valueName: "file"), completion: .file(extensions: ["html"]))
    var html: String?

    @Flag(name: .customLong("no-color"), help: "No colour (also off when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("no tapes given: pass the directory given to test --record, or tape files") }
    }

    /// Every tape named, directories expanded (sorted); a path that does not exist is a usage error.
    func tapes() throws -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError(message: "no such tape or directory: \(path)")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                found += names.filter { $0.hasSuffix(".ndjson") }.sorted().map { path + "/" + $0 }
            } else {
                found.append(path)
            }
        }
        guard !found.isEmpty else { throw UsageError(message: "no tapes (*.ndjson) in \(paths.joined(separator: ", "))") }
        return found
    }

    func run() async throws {
        let reports = RunReports(htmlPath: html)
        if let problem = reports.prepare().first { throw UsageError(message: problem) }
        let begin = ContinuousClock.now, started = Date()
        var targets: [String] = [], transports: [String] = []
        let style = ConsoleStyle.detect(isTTY: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment, noColorFlag: noColor)
        var results: [TestResult] = []
        var problems: [String] = []
        for path in try tapes() {
            let tape: TapeReplay.Tape
            do {
                tape = try TapeReplay.read(path)
            } catch {
                problems.append(error.description)
                continue
            }
            let loaded = TestCaseLoader().load(file: tape.header.file)
            guard let test = loaded.testCase else {
                let why = loaded.errors.first.map(\.description) ?? "not a test case"
                problems.append("\(path): cannot load its test case \(tape.header.file): \(why)")
                continue
            }
            let result = await TapeReplay.replay(tape, test: test)
            let recorded = tape.verdict?.verdict ?? "none (the recorded run was stopped before its end)"
            printOut("\(style.status(result.status)) \(ConsoleStyle.printable(result.name))  (\(path): \(tape.events.count) events; "
                + "recorded: \(recorded))")
            if let verdict = tape.verdict?.verdict, verdict != result.status.rawValue {
                printOut("  the replayed verdict differs from the recorded one (\(verdict)): the test case or the runner changed since")
            }
            results.append(result)
            if !targets.contains(tape.header.target) { targets.append(tape.header.target) }
            if !transports.contains(tape.header.transport) { transports.append(tape.header.transport) }
        }
        printOut(RunSummary(results: results, style: style).render())
        let run = RunReports.Run(name: "armada-testsuite replay", target: "replay of " + targets.joined(separator: ", "),
                                 transport: transports.joined(separator: ", "), started: started, elapsed: ContinuousClock.now - begin,
                                 version: TestsuiteVersion.current)
        problems += reports.writeFiles(results, run: run)
        for problem in problems { printError("error: \(problem)\n") }
        if !problems.isEmpty { throw CLIExit.usage }
        if results.contains(where: { !$0.passed }) { throw CLIExit.failed }
    }
}
