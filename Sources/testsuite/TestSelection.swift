import ArgumentParser
import ArmadaAPI
import Foundation
import Reporting
import TestSpec

/// `--tests` (repeatable), positional test paths and `--lenient`, shared by the commands that read
/// test cases.
struct TestSelection: ParsableArguments {
    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(
        "Comma-separated test-case paths and globs (*, **, {a,b}, [..]); repeatable, the lists add up. A piece "
            + "that matches nothing here is looked up under testcases/.", valueName: "patterns"),
            completion: .file(extensions: ["yaml", "yml"]))
    var tests: [String] = []

    @Argument(help: ArgumentHelp("Test-case files, directories or globs (the same as --tests, one per argument).",
                                 valueName: "path"), completion: .file(extensions: ["yaml", "yml"]))
    var paths: [String] = []

    @Flag(name: .long, help: "Report unknown keys as warnings instead of errors (for old files with legacy keys).")
    var lenient = false

    func validate() throws {
        guard !tests.isEmpty || !paths.isEmpty else {
            throw ValidationError("no test cases given: pass --tests 'PATTERN' (repeatable) or the paths after the options, "
                + "for example --tests 'retries/*.yaml' or testcases/basic")
        }
    }

    /// Every piece, in the order given: the `--tests` lists split on commas, then the paths.
    var pieces: [String] { tests.flatMap(TestDiscovery.splitPieces) + paths }

    /// The selection as one line, for report titles.
    var title: String { pieces.joined(separator: ",") }

    /// Resolves the patterns and loads every file; a pattern that matches nothing is a usage error.
    func load() async throws -> [TestCaseLoader.Result] {
        let files: [String]
        do {
            files = try TestDiscovery().resolve(pieces: pieces)
        } catch {
            throw UsageError(message: error.description)
        }
        let loader = TestCaseLoader(lenient: lenient)
        return await loader.load(files: files)
    }
}

/// Standard output without stdio's buffer, so it interleaves in order with the console's lines;
/// credentials redacted (the text may carry the console's styling, so control characters stay).
func printOut(_ text: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((Redaction.apply(text) + terminator).utf8))
}

/// Standard error: errors quote servers and files, so control characters are shown, not sent,
/// and credentials redacted.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(ConsoleStyle.printable(text).utf8))
}

/// A usage problem found after parsing (for example a pattern that matches nothing): printed as
/// `error: …` without the usage text, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
