import ArgumentParser
import Reporting
import TestSpec

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what each test case does: queue, job counts, expected events, action, policies.",
        discussion: "Invalid files are reported on standard error and make the command exit 1."
    )

    @OptionGroup var selection: TestSelection
    @OptionGroup var filtering: TestFiltering

    func run() async throws {
        let results = try await selection.load()
        let tests = try filtering.apply(results.compactMap(\.testCase)) { printError($0 + "\n") }
        print(ConsoleStyle.printable(TestListing(testCases: tests).render()), terminator: "")
        let invalid = results.filter { !$0.isValid }
        guard invalid.isEmpty else {
            printError(ValidationReport(results: invalid).render(showWarnings: false))
            throw CLIExit.failed
        }
    }
}
