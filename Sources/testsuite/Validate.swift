import ArgumentParser
import Reporting
import TestSpec

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check test-case files without running them.",
        discussion: "Prints one line per file (ok, or each error with file:line:column). Exits 0 when every file "
            + "is valid, 1 when any is invalid, 2 on usage errors."
    )

    @OptionGroup var selection: TestSelection

    @Flag(name: .long, help: "Do not print warnings.")
    var noWarnings = false

    func run() async throws {
        let report = ValidationReport(results: try await selection.load())
        print(ConsoleStyle.printable(report.render(showWarnings: !noWarnings)), terminator: "")
        // Names must be unique among the files `test` would run together.
        let clashes = NameClash.find(report.results.compactMap(\.testCase))
        for clash in clashes { printError("error: \(clash)\n") }
        if !report.allValid || !clashes.isEmpty { throw CLIExit.failed }
    }
}
