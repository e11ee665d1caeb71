import ArgumentParser
import Foundation
import TestSpec

/// `--tests` and `--lenient`, shared by the commands that read test cases.
struct TestSelection: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated test-case paths and globs (*, **, {a,b}, [..]); a piece that matches nothing here is "
            + "looked up under testcases/.", valueName: "patterns"))
    var tests: String

    @Flag(name: .long, help: "Report unknown keys as warnings instead of errors (for old files with legacy keys).")
    var lenient = false

    /// Resolves the patterns and loads every file; a pattern that matches nothing is a usage error.
    func load() async throws -> [TestCaseLoader.Result] {
        let files: [String]
        do {
            files = try TestDiscovery().resolve(tests)
        } catch {
            throw UsageError(message: error.description)
        }
        let loader = TestCaseLoader(lenient: lenient)
        return await loader.load(files: files)
    }
}

/// Standard output without stdio's buffer, so it interleaves in order with the console's lines.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}

/// A usage problem found after parsing (for example a pattern that matches nothing): printed as
/// `error: …` without the usage text, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
