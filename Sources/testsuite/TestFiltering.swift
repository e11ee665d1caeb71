import ArgumentParser
import TestSpec

/// `--run`, `--skip` and `--shard`, shared by `test` and `list` (so `list --shard 2/3` shows what
/// that CI machine would run).
struct TestFiltering: ParsableArguments {
    @Option(help: ArgumentHelp("Only the tests whose name this Go regular expression matches (unanchored, as go test -run).",
                               valueName: "regex"))
    var run: String?

    @Option(help: ArgumentHelp("Leave out the tests whose name this Go regular expression matches.", valueName: "regex"))
    var skip: String?

    @Option(help: ArgumentHelp("Only this machine's part of the tests: INDEX/COUNT, e.g. 2/3. Tests are split by a hash of "
        + "their name, so adding tests never moves the others; the reports say which shard they are.", valueName: "i/n"))
    var shard: String?

    func validate() throws {
        do {
            _ = try filter()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func filter() throws(TestFilterError) -> TestFilter { try TestFilter(run: run, skip: skip, shard: shard) }

    /// The tests the filter keeps; prints what it left out. A `--run`/`--skip` that leaves nothing
    /// is a usage error.
    func apply(_ tests: [TestCase], note: (String) -> Void) throws -> [TestCase] {
        let filter = try self.filter()
        let selection = filter.apply(tests, name: \.name)
        if let problem = filter.problem(selection, total: tests.count) { throw UsageError(message: problem) }
        if let summary = filter.summary(selection, total: tests.count) { note(summary) }
        return selection.kept
    }
}
