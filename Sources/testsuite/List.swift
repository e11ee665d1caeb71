import ArgumentParser
import Reporting
import TestSpec

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what each test case does: queue, job counts, expected events, action, policies.",
        discussion: "Invalid files are reported on standard error and make the command exit 1."
    )

    @OptionGroup var selection: TestSelection

    func run() async throws {
        let results = try await selection.load()
        print(ConsoleStyle.printable(TestListing(testCases: results.compactMap(\.testCase)).render()), terminator: "")
        let invalid = results.filter { !$0.isValid }
        guard invalid.isEmpty else {
            printError(ValidationReport(results: invalid).render(showWarnings: false))
            throw CLIExit.failed
        }
    }
}
