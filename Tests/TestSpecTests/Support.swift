import Foundation
import TestFixtures
import TestSpec

/// Loads YAML text as the file `t.yaml`.
func load(_ yaml: String, lenient: Bool = false) -> TestCaseLoader.Result {
    TestCaseLoader(lenient: lenient).load(text: yaml, file: "t.yaml")
}

/// The error diagnostics as `line:col message` strings, for compact assertions.
func errors(_ result: TestCaseLoader.Result) -> [String] {
    result.errors.map { "\($0.location.line):\($0.location.column) \($0.message)" }
}

/// A minimal valid job, to splice into test YAML.
let jobYAML = TestFixtures.jobsBlock()

/// The repository root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A scratch directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "testsuite-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ relative: String, _ text: String = "queue: q\n") throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
